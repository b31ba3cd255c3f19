"""Signed links to a user's plan as an .ics file.

The link carries the conversation id, so it is signed: only someone the bot
gave the link to can download that user's plan.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse

PATH = "/webhooks/calendar/plan"


def signature(secret: str, sender_id: str) -> str:
    digest = hmac.new(secret.encode(), sender_id.encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def verify(secret: str, sender_id: str, given: str) -> bool:
    return bool(secret) and hmac.compare_digest(signature(secret, sender_id), given or "")


def plan_link(base_url: str, secret: str, sender_id: str) -> str:
    query = urllib.parse.urlencode({"sender": sender_id, "sig": signature(secret, sender_id)})
    return f"{base_url.rstrip('/')}{PATH}.ics?{query}"
