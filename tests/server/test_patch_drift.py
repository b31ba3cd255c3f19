"""Patch drift: our fixes were written against Rasa 3.6.21's source, byte for byte.

`rasa_sources.sha256` holds the sha256 of the stock source of every Rasa function our code
replaces, wraps, overrides or relies on (server/patch_guard.py says which file
depends on which). A Rasa upgrade that changes one fails here, naming it: re-read
that function and the file that depends on it, then update the hash there. The source
is read from Rasa's files (patch_guard.stock_source), not with inspect.getsource
on the live object, which after our patches would hash our own replacement.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from server import patch_guard
from tests.conftest import ROOT

HASHES = ROOT / "tests" / "server" / "rasa_sources.sha256"
EXPECTED = {
    target: digest
    for digest, target in (
        line.split() for line in HASHES.read_text().splitlines() if not line.startswith("#")
    )
}


def test_every_patched_function_is_hashed() -> None:
    assert set(EXPECTED) == set(patch_guard.PATCHED)


@pytest.mark.parametrize("target", sorted(EXPECTED))
def test_rasa_source_is_what_the_patches_were_written_for(target: str) -> None:
    source = patch_guard.stock_source(target)
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert digest == EXPECTED[target], (
        f"Rasa's {target} changed: re-read {patch_guard.PATCHED[target]} against it, "
        "then update tests/server/rasa_sources.sha256"
    )


def test_the_hashed_source_is_what_inspect_sees_before_patching() -> None:
    """In a fresh interpreter (no patch installed), inspect.getsource agrees with the file."""
    script = (
        "import hashlib, importlib, inspect, json\n"
        "from server import patch_guard\n"
        "out = {}\n"
        "for target in patch_guard.PATCHED:\n"
        "    module, qualname = target.split(':')\n"
        "    obj = importlib.import_module(module)\n"
        "    for part in qualname.split('.'):\n"
        "        obj = getattr(obj, part)\n"
        "    src = inspect.getsource(obj)\n"
        "    out[target] = src.strip() == patch_guard.stock_source(target).strip()\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    same = json.loads(result.stdout.strip().splitlines()[-1])
    assert same == dict.fromkeys(EXPECTED, True)


def test_every_patch_the_server_installs_is_listed() -> None:
    """Install what `python -m server` installs, then find every Rasa attribute that is ours."""
    script = (
        "import json, sys, inspect\n"
        "from server import settings\n"
        "from server.__main__ import install_patches\n"
        "install_patches(settings.from_env({}))\n"
        "found = set()\n"
        "def ours(f):\n"
        "    f = getattr(f, '__func__', f)\n"
        "    return callable(f) and getattr(f, '__module__', '').startswith('server.')\n"
        "for name, module in list(sys.modules.items()):\n"
        "    if not name.startswith('rasa.') or module is None:\n"
        "        continue\n"
        "    for attr, value in list(vars(module).items()):\n"
        "        if ours(value) and not attr.startswith('_imgcma'):\n"
        "            found.add(f'{name}:{attr}')\n"
        "        if inspect.isclass(value) and value.__module__ == name:\n"
        "            for key, member in vars(value).items():\n"
        "                if ours(member):\n"
        "                    found.add(f'{name}:{value.__name__}.{key}')\n"
        "print(json.dumps(sorted(found)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    installed = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert installed, "no patch found: the search is broken"
    assert installed <= set(patch_guard.PATCHED), installed - set(patch_guard.PATCHED)


def test_start_up_refuses_another_rasa_version(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from server import __main__ as entry

    assert patch_guard.version_problem() is None, "the installed Rasa is the supported one"
    monkeypatch.setattr(patch_guard, "installed_rasa_version", lambda: "3.6.22")
    monkeypatch.setattr(entry, "install_patches", lambda _config: pytest.fail("patched anyway"))
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "Refusing to start" in message and "3.6.21" in message and "3.6.22" in message
