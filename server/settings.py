"""The project's one settings module: the environment and credentials.yml values, typed.

The server's safety settings are read from the environment once (`from_env`).
IMGCMA_ENV=production switches on the production rules: CORS only for
ALLOWED_ORIGINS. Logging is capped at INFO (Rasa's DEBUG lines print users'
messages) unless LOG_USER_TEXT=1, which production ignores. The channels read
their credentials.yml entries, where environment variables arrive as strings,
with `flag` and `number`. No Rasa imports.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from server.input_policy import DEFAULT_MAX_CHARS

# Generous defaults: a person types a few messages a minute; the dev evaluation
# sends ~70 quickly from one address, and many users may share one address.
DEFAULT_SENDER_PER_MINUTE = 60
DEFAULT_IP_PER_MINUTE = 600
DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEBUG_FLAGS = {"--debug", "-vv", "--verbose", "-v"}


@dataclass(frozen=True)
class Settings:
    production: bool = False
    allowed_origins: tuple[str, ...] = ()
    max_message_chars: int = DEFAULT_MAX_CHARS
    sender_per_minute: float = DEFAULT_SENDER_PER_MINUTE
    ip_per_minute: float = DEFAULT_IP_PER_MINUTE
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    log_user_text: bool = False


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise SystemExit(f"{name} must not be negative (0 switches the limit off)")
    return value


def from_env(env: Mapping[str, str] = os.environ) -> Settings:
    origins = tuple(o.strip() for o in env.get("ALLOWED_ORIGINS", "").split(",") if o.strip())
    return Settings(
        production=env.get("IMGCMA_ENV", "").strip().lower() == "production",
        allowed_origins=origins,
        max_message_chars=int(_number(env, "MAX_MESSAGE_CHARS", DEFAULT_MAX_CHARS)),
        sender_per_minute=_number(env, "RATE_LIMIT_PER_SENDER", DEFAULT_SENDER_PER_MINUTE),
        ip_per_minute=_number(env, "RATE_LIMIT_PER_IP", DEFAULT_IP_PER_MINUTE),
        max_body_bytes=int(_number(env, "MAX_REQUEST_BYTES", DEFAULT_MAX_BODY_BYTES)),
        log_user_text=env.get("LOG_USER_TEXT", "").strip() == "1",
    )


def check_command_line(argv: Sequence[str]) -> str | None:
    """Why `rasa <argv>` must not start, or None: the HTTP API needs a token."""
    if argv and argv[0] == "run" and "--enable-api" in argv:
        has_token = "--auth-token" in argv or any(a.startswith("--auth-token=") for a in argv)
        has_jwt = "--jwt-secret" in argv or any(a.startswith("--jwt-secret=") for a in argv)
        if not (has_token or has_jwt):
            return (
                "Refusing to start: --enable-api without --auth-token would let anyone on "
                "the network read and change every conversation. Add --auth-token "
                '"$RASA_AUTH_TOKEN" (make run generates one).'
            )
    return None


def production_argv(argv: Sequence[str]) -> list[str]:
    """`argv` without debug flags: DEBUG logs hold users' messages."""
    return [a for a in argv if a not in DEBUG_FLAGS]


def apply(argv: Sequence[str], settings: Settings, env: dict[str, str] | None = None) -> list[str]:
    """Check the command line and cap logging at INFO; exits on a refusal.

    DEBUG logging (which prints users' messages) needs LOG_USER_TEXT=1, and never
    runs in production.
    """
    env = os.environ if env is None else env  # type: ignore[assignment]
    problem = check_command_line(argv)
    if problem:
        print(problem, file=sys.stderr)
        raise SystemExit(2)
    if settings.log_user_text and not settings.production:
        print("LOG_USER_TEXT=1: debug logging may print users' messages.", file=sys.stderr)
        return list(argv)
    cleaned = production_argv(argv)
    if cleaned != list(argv) or env.get("LOG_LEVEL", "").upper() == "DEBUG":
        why = (
            "Production mode: debug logging is off (LOG_USER_TEXT is ignored)"
            if settings.production
            else "Debug logging is off unless LOG_USER_TEXT=1"
        )
        print(f"{why}, so users' messages stay out of the logs.", file=sys.stderr)
        env["LOG_LEVEL"] = "INFO"
    return cleaned


# ---------------------------------------------------------------- credentials.yml values
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def flag(value: Any, default: bool) -> bool:
    """`true`/`"true"`/`"1"` -> True; a typo is an error, not a silent default."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def number(value: Any, default: float) -> float:
    if value is None or str(value).strip() == "":
        return default
    result = float(value)
    if result <= 0:
        raise ValueError(f"expected a positive number, got {value!r}")
    return result
