"""Promoted models: the `models/current` pointer, rollback, model cards, hot swap.

models/releases/<model>-r<UTC time>.tar.gz   promoted models (git-ignored)
models/current, models/previous              pointers: a path relative to the project
models/cards/<UTC time>-<model>.md           one card per promotion or rollback (committed)

`make run` serves `models/current` when it exists (tools/dev/train_if_needed.py
`served_model`), so a restart keeps the promoted model.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

KEEP_RELEASES = 4


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def releases(self) -> Path:
        return self.models / "releases"

    @property
    def cards(self) -> Path:
        return self.models / "cards"

    def pointer(self, name: str) -> Path:
        return self.models / name


def read_pointer(layout: Layout, name: str = "current") -> Path | None:
    """The model a pointer names, if the pointer and the model both exist."""
    pointer = layout.pointer(name)
    if not pointer.is_file():
        return None
    target = layout.root / pointer.read_text(encoding="utf-8").strip()
    return target if target.is_file() else None


def _write_pointer(layout: Layout, name: str, target: Path | None) -> None:
    pointer = layout.pointer(name)
    if target is None:
        pointer.unlink(missing_ok=True)
        return
    tmp = pointer.with_suffix(".tmp")
    tmp.write_text(str(target.resolve().relative_to(layout.root.resolve())) + "\n", "utf-8")
    tmp.replace(pointer)  # atomic: a reader never sees half a pointer


def stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def release(layout: Layout, model: Path, now: dt.datetime | None = None) -> Path:
    """Copy a trained model into models/releases under a unique name."""
    layout.releases.mkdir(parents=True, exist_ok=True)
    target = layout.releases / f"{model.name.removesuffix('.tar.gz')}-r{stamp(now)}.tar.gz"
    shutil.copy2(model, target)
    return target


def set_current(layout: Layout, model: Path) -> Path | None:
    """Make `model` current; the old current becomes previous. Returns the old one."""
    old = read_pointer(layout, "current")
    _write_pointer(layout, "previous", old)
    _write_pointer(layout, "current", model)
    return old


def swap_back(layout: Layout) -> tuple[Path, Path]:
    """Roll back: previous becomes current and current previous. Returns (new, old)."""
    previous = read_pointer(layout, "previous")
    current = read_pointer(layout, "current")
    if previous is None or current is None:
        raise LookupError("nothing to roll back to: no previous promoted model")
    _write_pointer(layout, "current", previous)
    _write_pointer(layout, "previous", current)
    return previous, current


def prune_releases(layout: Layout, keep: int = KEEP_RELEASES) -> list[Path]:
    """Delete old releases, never the current or previous one."""
    protected = {read_pointer(layout, "current"), read_pointer(layout, "previous")}
    releases = sorted(layout.releases.glob("*.tar.gz"), key=lambda p: p.name)
    removed = [p for p in releases[:-keep] if p not in protected]
    for path in removed:
        path.unlink()
    return removed


def load_into_server(url: str, token: str, model: Path, timeout: float = 600.0) -> None:
    """Hot-swap the model of a running Rasa server (PUT /model; it keeps serving meanwhile)."""
    request = urllib.request.Request(
        f"{url.rstrip('/')}/model?token={token}",
        data=json.dumps({"model_file": str(model.resolve())}).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310 - RASA_URL
            if response.status not in (200, 204):
                raise RuntimeError(f"PUT /model answered {response.status}")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:300]
        if exc.code == 401 or exc.code == 403:
            raise PermissionError(
                "the Rasa server refused the token: set RASA_AUTH_TOKEN to the token "
                "`make run` printed"
            ) from None
        raise RuntimeError(f"PUT /model failed ({exc.code}): {detail}") from None


def server_model(url: str, token: str, timeout: float = 5.0) -> str | None:
    """The file name of the model a running server serves, or None if unreachable."""
    try:
        with urllib.request.urlopen(  # nosec B310 - the operator's own Rasa server
            f"{url.rstrip('/')}/status?token={token}", timeout=timeout
        ) as response:
            return json.loads(response.read().decode()).get("model_file")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def write_card(layout: Layout, card: dict, now: dt.datetime | None = None) -> Path:
    """A model card: Markdown for people, with the same facts as JSON at the end."""
    layout.cards.mkdir(parents=True, exist_ok=True)
    when = now or dt.datetime.now(dt.timezone.utc)
    path = layout.cards / f"{stamp(when)}-{card['action']}.md"
    lines = [
        f"# {card['action'].capitalize()}: {card['model']}",
        "",
        f"- date: {when.isoformat(timespec='seconds')}",
        f"- model: `{card['model']}`",
        f"- replaces: `{card.get('replaces') or 'nothing'}`",
        f"- what changed: {card.get('changes') or 'n/a'}",
    ]
    if card.get("data"):
        d = card["data"]
        lines.append(
            f"- data: {d.get('examples')} training examples, {d.get('intents')} intents, "
            f"{d.get('heldout')} held-out questions"
        )
    if card.get("timings"):
        lines.append("- time: " + ", ".join(f"{k} {v:.0f} s" for k, v in card["timings"].items()))
    if card.get("gate"):
        lines += ["", "## Evaluation", "", "```", *card["gate"], "```"]
    if card.get("scores"):
        lines += ["", "| intent | F1 before | F1 after | held-out questions |", "|---|---|---|---|"]
        for intent, s in sorted(card["scores"].items()):
            lines.append(
                f"| {intent} | {s.get('baseline_f1', '-')} | {s.get('candidate_f1', '-')} "
                f"| {s.get('support', '-')} |"
            )
    lines += ["", "```json", json.dumps(card, indent=2, sort_keys=True, default=str), "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
