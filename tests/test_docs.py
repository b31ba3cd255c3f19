"""The README and docs/ say only what is true of the code: targets, paths, modules, output."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tools.dev import channel_config

PAGES = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
TARGETS = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))
# Top-level folders whose files the pages name; anything else in backticks is not a path.
TRACKED = ("actions", "channels", "components", "configs", "data", "deploy", "docs", "examples")
TRACKED += ("server", "tests", "tools", "topics", "widget")
# Made at run time, not committed.
GENERATED = ("topics/heldout.yml", "topics/drafts", "topics/my_topic.yml", "widget/node_modules")
BUDGET = 10_500  # bytes: the README is the front door, the reference lives in docs/


def _code_spans(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL)
    inline = re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    return blocks + inline


def _paths(span: str) -> list[str]:
    found = []
    for word in re.split(r"[\s,;()\"'=]+", span):
        word = word.rstrip(".:")
        if word.startswith(tuple(f"{d}/" for d in TRACKED)) and not re.search(r"[<*{$]", word):
            found.append(word)
    return found


def test_the_readme_is_a_front_door() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) <= BUDGET
    for page in ROOT.glob("docs/*.md"):
        assert f"docs/{page.name}" in readme, f"the README does not lead to {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_make_target_exists(page: Path) -> None:
    named = {t for span in _code_spans(page) for t in re.findall(r"\bmake ([a-z][a-z-]*)", span)}
    assert named - TARGETS == set()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_path_exists(page: Path) -> None:
    named = {p for span in _code_spans(page) for p in _paths(span)}
    missing = {p for p in named if not (ROOT / p).exists() and not p.startswith(GENERATED)}
    assert missing == set()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    links += re.findall(r'<img src="([^"]+)"', text)
    local = [link for link in links if "://" not in link]
    assert [link for link in local if not (page.parent / link).exists()] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_python_module_exists(page: Path) -> None:
    spans = _code_spans(page)
    modules = {m for span in spans for m in re.findall(r"python -m ([a-z_]\w*(?:\.\w+)*)", span)}
    ours = {m for m in modules if m.split(".")[0] in ("tools", "server", "pytest", "rasa_sdk")}
    assert {m for m in ours if importlib.util.find_spec(m) is None} == set()


def test_every_make_target_is_documented() -> None:
    documented = "".join(page.read_text(encoding="utf-8") for page in PAGES)
    described = set(re.findall(r"^([a-z][a-z-]*):.*## ", (ROOT / "Makefile").read_text(), re.M))
    quiet = {"help", "install", "widget-deps"}
    assert {t for t in described - quiet if f"make {t}" not in documented} == set()


def test_the_channel_list_is_what_make_run_prints() -> None:
    """docs/channels.md quotes `make run` with the Slack variables set."""
    config = yaml.load((ROOT / "credentials.yml").read_text(), Loader=channel_config._Loader)
    slack_only = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    printed = channel_config.describe(channel_config.resolve(config, slack_only)[1])
    assert printed in (ROOT / "docs" / "channels.md").read_text(encoding="utf-8")


def test_operator_commands_answer_help() -> None:
    """docs/operators.md: `python -m tools.operators --help` lists the commands it names."""
    result = subprocess.run(
        [sys.executable, "-m", "tools.operators", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for command in ("add-topic", "check", "retrain", "rollback", "status", "review"):
        assert command in result.stdout
