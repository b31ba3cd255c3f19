"""Which Rasa internals our code replaces, wraps or relies on, and the Rasa version they fit.

`python -m server` refuses to start on another Rasa version (`version_problem`),
and tests/server/rasa_sources.sha256 keeps a sha256 of the stock source of
every function below: when Rasa changes one, the test names it, and the code
that depends on it must be re-read before its hash is updated.
No Rasa imports here: the check runs before Rasa's slow imports.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
from pathlib import Path

RASA_VERSION = "3.6.21"

# "module:Qualified.name" -> the project file that depends on it.
PATCHED: dict[str, str] = {
    "rasa.core.actions.action:RemoteAction.run": "server/resilient_actions.py (replaced)",
    "rasa.core.actions.action:RemoteAction._validate_action_result": (
        "server/action_response_check.py (replaced)"
    ),
    "rasa.shared.core.events:Event.resolve_by_type": "server/event_lookup.py (replaced)",
    "rasa.core.run:configure_app": "server/http_guard.py (wrapped)",
    "rasa.core.agent:Agent.handle_message": "server/message_guard.py (wrapped)",
    "rasa.core.tracker_store:FailSafeTrackerStore.on_tracker_store_error": (
        "server/message_guard.py (replaced)"
    ),
    "rasa.core.tracker_store:FailSafeTrackerStore.on_tracker_store_retrieve_error": (
        "server/message_guard.py (replaced)"
    ),
    "rasa.core.processor:MessageProcessor._has_session_expired": (
        "server/session_rollover.py (wrapped)"
    ),
    "rasa.core.actions.action:ActionSessionStart._slot_set_events_from_tracker": (
        "server/slot_carry_over.py (replaced)"
    ),
    # Store classes named in endpoints.yml: subclasses, not patches, but they rely on these.
    "rasa.core.tracker_store:SQLTrackerStore.__init__": "server/tracker_store.py (extended)",
    "rasa.core.tracker_store:SQLTrackerStore._retrieve": "server/sql_tracker_read.py (overridden)",
    "rasa.core.tracker_store:SQLTrackerStore._event_query": "server/sql_tracker_read.py (called)",
    "rasa.core.lock_store:RedisLockStore.__init__": "server/redis_lock.py (extended)",
    "rasa.core.lock_store:LockStore.issue_ticket": "server/redis_lock.py (overridden)",
    "rasa.core.lock_store:LockStore.update_lock": "server/redis_lock.py (overridden)",
    "rasa.core.lock_store:LockStore.finish_serving": "server/redis_lock.py (overridden)",
    "rasa.core.lock_store:LockStore.cleanup": "server/redis_lock.py (overridden)",
    "rasa.core.lock_store:RedisLockStore.get_lock": "server/redis_lock.py (same key and format)",
    "rasa.core.lock_store:RedisLockStore.save_lock": "server/redis_lock.py (same key and format)",
    "rasa.core.lock:TicketLock.from_dict": "server/redis_lock.py (called)",
    "rasa.core.lock:TicketLock.dumps": "server/redis_lock.py (called)",
    # The widget's channel re-implements the stock blueprint.
    "rasa.core.channels.socketio:SocketIOInput.blueprint": "channels/socketio.py (edited copy)",
}


def installed_rasa_version() -> str:
    return importlib.metadata.version("rasa")


def version_problem(installed: str | None = None) -> str | None:
    """Why the server must not start with this Rasa, or None."""
    installed = installed or installed_rasa_version()
    if installed == RASA_VERSION:
        return None
    return (
        f"Refusing to start: the fixes in server/ replace Rasa internals written for Rasa "
        f"{RASA_VERSION}, and Rasa {installed} is installed. Install rasa=={RASA_VERSION} "
        "(constraints.txt), or re-read each function listed in server/patch_guard.py against "
        f"Rasa {installed}, then update RASA_VERSION and tests/server/rasa_sources.sha256."
    )


def stock_source(target: str) -> str:
    """The source of `module:Qualified.name` as Rasa ships it, read from the file.

    Read from disk rather than with inspect.getsource on the live object, which
    after our patches would return our replacement.
    """
    module_name, qualname = target.split(":")
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        raise LookupError(f"{module_name} is not installed")
    text = Path(spec.origin).read_text(encoding="utf-8")
    body: list[ast.stmt] = ast.parse(text).body
    node: ast.AST | None = None
    for part in qualname.split("."):
        node = next(
            (
                n
                for n in body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and n.name == part
            ),
            None,
        )
        if node is None:
            raise LookupError(f"{target}: no {part!r} in {spec.origin}")
        body = node.body  # type: ignore[attr-defined]
    segment = ast.get_source_segment(text, node, padded=True)  # type: ignore[arg-type]
    decorators = "".join(
        f"@{ast.get_source_segment(text, d)}\n" for d in getattr(node, "decorator_list", [])
    )
    return decorators + (segment or "")
