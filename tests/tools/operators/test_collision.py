"""A new topic that collides with an existing one is refused before any training."""

import os
import re
import subprocess
from pathlib import Path

from tests.conftest import ROOT
from tests.tools.operators.project_copy import copy_project, shared_paths


def test_colliding_topic_is_refused_naming_both_intents(tmp_path: Path) -> None:
    """The gate's first stage: near-same examples under two intents stop `add-topic`.

    (The evaluation stage, which names intents confused after training, is unit
    tested on fabricated predictions in test_gate.py.)
    """
    project = copy_project(tmp_path / "p")
    before = {n: (project / n).read_text() for n in ("domain.yml", "data/content/topics.yml")}
    run = subprocess.run(
        [
            str(project / ".venv" / "bin" / "python"),
            "-m",
            "tools.operators",
            "add-topic",
            str(ROOT / "tests" / "fixtures" / "topics" / "colliding_pay.yml"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "RASA_AUTH_TOKEN": "", **shared_paths()},
    )
    assert run.returncode == 2, run.stdout + run.stderr
    duplicates = [line for line in run.stdout.splitlines() if "[duplicate]" in line]
    assert duplicates, run.stdout
    assert all("`salary`" in line and "`cma_pay`" in line for line in duplicates)
    # Both places are named with file and line, e.g. salary.yml:5 and cma_pay.yml:5.
    assert all(
        re.search(r"data/nlu/salary\.yml:\d+", line) and re.search(r"cma_pay\.yml:\d+", line)
        for line in duplicates
    )
    assert "taken out again" in run.stdout
    for name, text in before.items():
        assert (project / name).read_text() == text
    assert not (project / "data" / "nlu" / "cma_pay.yml").exists()
    assert not list((project / "models").glob("*.tar.gz")), "nothing may be trained"
