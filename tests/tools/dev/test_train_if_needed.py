"""Training runs only when what shapes the model changed."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools.dev import train_if_needed


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in train_if_needed.INPUTS:
        source = ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "data" / "content").mkdir(parents=True, exist_ok=True)
    return tmp_path


def test_fingerprint_is_stable(project: Path) -> None:
    assert train_if_needed.fingerprint(project) == train_if_needed.fingerprint(project)


def test_training_data_changes_the_fingerprint(project: Path) -> None:
    before = train_if_needed.fingerprint(project)
    with (project / "data" / "nlu" / "salary.yml").open("a") as handle:
        handle.write("    - what do medical assistants take home\n")
    assert train_if_needed.fingerprint(project) != before


def test_run_time_content_does_not(project: Path) -> None:
    before = train_if_needed.fingerprint(project)
    (project / "data" / "content" / "topics.yml").write_text("salary: Pay\n")
    assert train_if_needed.fingerprint(project) == before


def test_prune_keeps_the_newest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train_if_needed, "MODELS", tmp_path)
    for age, name in enumerate(["a", "b", "c", "d"]):
        model = tmp_path / f"imgcma-{name}.tar.gz"
        model.write_text(name)
        mtime = 1_000_000 + age
        os.utime(model, (mtime, mtime))
    train_if_needed.prune_old_models(keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["imgcma-c.tar.gz", "imgcma-d.tar.gz"]
