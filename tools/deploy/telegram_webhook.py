"""`make telegram-webhook`: point Telegram at this bot's webhook, then show what Telegram has.

The Rasa server also does this by itself at start-up (and keeps retrying while
Telegram is unreachable); this is for doing it by hand or checking the result.
Environment: TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET,
optional TELEGRAM_API_URL (default https://api.telegram.org).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

NEEDED = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET")


def call(api_url: str, token: str, method: str, payload: dict[str, Any]) -> dict[str, Any]:
    """One Bot API call; Telegram's own error description on failure."""
    if not api_url.startswith(("https://", "http://")):
        raise ValueError(f"TELEGRAM_API_URL must be an http(s) URL, not {api_url!r}")
    request = urllib.request.Request(
        f"{api_url.rstrip('/')}/bot{token}/{method}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # nosec B310 - scheme checked above
            return json.loads(response.read().decode() or "{}")
    except urllib.error.HTTPError as exc:
        try:
            return json.loads(exc.read().decode() or "{}")
        except ValueError:
            return {"ok": False, "description": f"HTTP {exc.code}"}


def main(env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    missing = [name for name in NEEDED if not env.get(name)]
    if missing:
        print(f"Set {', '.join(missing)} first (see docs/channels.md, Telegram).", file=sys.stderr)
        return 2
    api_url = env.get("TELEGRAM_API_URL") or "https://api.telegram.org"
    token = env["TELEGRAM_BOT_TOKEN"]
    payload = {
        "url": env["TELEGRAM_WEBHOOK_URL"],
        "secret_token": env["TELEGRAM_WEBHOOK_SECRET"],
        "allowed_updates": ["message", "callback_query"],
    }
    print(f"Registering {payload['url']} with {api_url} ...")
    try:
        result = call(api_url, token, "setWebhook", payload)
        info = call(api_url, token, "getWebhookInfo", {}) if result.get("ok") else {}
    except (urllib.error.URLError, OSError) as exc:
        print(f"Cannot reach {api_url}: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not result.get("ok"):
        print(f"Telegram refused: {result.get('description', result)}", file=sys.stderr)
        return 1
    details = info.get("result") or {}
    print(f"Webhook set: {details.get('url', payload['url'])}")
    print(f"  pending updates: {details.get('pending_update_count', '?')}")
    if details.get("last_error_message"):
        print(f"  last delivery error: {details['last_error_message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
