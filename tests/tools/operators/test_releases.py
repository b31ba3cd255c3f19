"""Promotion pointers, rollback and model cards (files only, no server)."""

import datetime as dt
from pathlib import Path

import pytest

from tools.dev import train_if_needed
from tools.operators import releases


def model(root: Path, name: str) -> Path:
    path = root / "models" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(name)
    return path


def test_promote_then_roll_back(tmp_path: Path) -> None:
    layout = releases.Layout(tmp_path)
    t0 = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone.utc)
    first = releases.release(layout, model(tmp_path, "imgcma-aaa.tar.gz"), t0)
    second = releases.release(
        layout, model(tmp_path, "imgcma-bbb.tar.gz"), t0 + dt.timedelta(minutes=9)
    )
    assert releases.set_current(layout, first) is None
    assert releases.set_current(layout, second) == first
    assert train_if_needed.served_model(tmp_path) == second
    assert releases.swap_back(layout) == (first, second)
    assert train_if_needed.served_model(tmp_path) == first
    assert (tmp_path / "models" / "current").read_text() == (
        "models/releases/imgcma-aaa-r20261127T100000Z.tar.gz\n"
    )


def test_rollback_without_a_previous_model_says_so(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="nothing to roll back to"):
        releases.swap_back(releases.Layout(tmp_path))


def test_pruning_never_removes_current_or_previous(tmp_path: Path) -> None:
    layout = releases.Layout(tmp_path)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    made = [
        releases.release(
            layout, model(tmp_path, f"imgcma-{i}.tar.gz"), start + dt.timedelta(hours=i)
        )
        for i in range(6)
    ]
    releases.set_current(layout, made[0])
    releases.set_current(layout, made[1])
    releases.prune_releases(layout, keep=2)
    assert sorted(p.name for p in layout.releases.iterdir()) == sorted(
        p.name for p in [made[0], made[1], made[4], made[5]]
    )


def test_model_card(tmp_path: Path) -> None:
    card = releases.write_card(
        releases.Layout(tmp_path),
        {
            "action": "promotion",
            "model": "imgcma-b.tar.gz",
            "replaces": "imgcma-a.tar.gz",
            "changes": "added topic `path_overview`",
            "data": {"examples": 3104, "intents": 38, "heldout": 342},
            "gate": ["PROMOTE: no intent got worse"],
            "scores": {"salary": {"baseline_f1": 0.9, "candidate_f1": 0.95, "support": 10}},
        },
        dt.datetime(2026, 11, 27, 11, 0, tzinfo=dt.timezone.utc),
    )
    assert card.name == "20261127T110000Z-promotion.md"
    text = card.read_text()
    assert "3104 training examples, 38 intents" in text
    assert "| salary | 0.9 | 0.95 | 10 |" in text
