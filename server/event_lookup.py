"""Resolve an event's type name to its class through a table instead of a class-tree walk.

Why: every event Rasa 3.6 reads back from the tracker store goes through
`Event.resolve_by_type`, which walks all subclasses of `Event` and calls
`inspect.isabstract` on each, per event. py-spy put it at 27% of the
server's time in a 300-turn conversation (stock sessions), more than the SQL
query and the JSON decoding together. The table is built from the same walk,
in the same order, so the first class with a given type name wins exactly as
in the stock loop; an unknown name rebuilds it once (a subclass imported
later) and then falls back to the stock handling.
"""

from __future__ import annotations

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_INSTALLED = "_imgcma_event_lookup"


def build_table() -> dict[str, type[Event]]:
    """type_name -> class, first match in `all_subclasses(Event)` order (as the stock loop)."""
    table: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)
    return table


def install() -> None:
    """Patch Event.resolve_by_type (idempotent)."""
    if getattr(Event.resolve_by_type, _INSTALLED, False):
        return
    stock = Event.resolve_by_type
    table = build_table()

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        found = table.get(type_name)
        if found is None:
            table.update(build_table())
            found = table.get(type_name)
        return found if found is not None else stock(type_name, default)

    setattr(resolve_by_type, _INSTALLED, True)
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
