"""Links to a user's plan as an .ics file.

The action server does not make the token: it writes the link with
TOKEN_PLACEHOLDER, and the Rasa server replaces that with a random token it
stores next to the conversation, with an expiry (server/calendar_tokens.py).
The link carries no conversation id.
"""

from __future__ import annotations

PATH = "/webhooks/calendar/plan"
TOKEN_PLACEHOLDER = "CALENDAR-LINK-TOKEN"  # nosec B105 - a placeholder, not a secret


def plan_link(base_url: str) -> str:
    return f"{base_url.rstrip('/')}{PATH}.ics?token={TOKEN_PLACEHOLDER}"
