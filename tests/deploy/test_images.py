"""The Docker images start and answer (no container engine here: their file sets do).

For each Dockerfile in deploy/docker/, exactly the files it COPYs are copied into
a temporary folder laid out as its WORKDIR; what its RUN step builds (the spaCy
pipeline and the model) is copied from this checkout instead of rebuilt (same
inputs, so the same fingerprinted model name). Then each image's CMD runs there,
with the image's ENV, against loopback PostgreSQL and Redis (the scale-out
profile the Rasa image uses), and the bot is asked questions that need both.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.dev import scaleout, stack
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def image_env(dockerfile: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in instructions(dockerfile):
        if word == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", rest)))
    return env


def image_cmd(dockerfile: Path) -> list[str]:
    [cmd] = [json.loads(rest) for word, rest in instructions(dockerfile) if word == "CMD"]
    return cmd


def build_file_set(dockerfile: Path, app: Path) -> None:
    """Copy what the Dockerfile's COPY lines copy, as the image lays it out under WORKDIR."""
    [workdir] = [rest for word, rest in instructions(dockerfile) if word == "WORKDIR"]
    assert workdir == "/app"
    app.mkdir(parents=True)
    for word, rest in instructions(dockerfile):
        if word != "COPY":
            continue
        *sources, dest = rest.split()
        for source in sources:
            origin = ROOT / source
            target = app / dest if dest not in ("./", ".") else app
            if origin.is_dir():
                shutil.copytree(origin, target, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target / origin.name)


def built_artifacts(app: Path) -> None:
    """What Dockerfile.rasa's RUN step builds: the spaCy pipeline and the model."""
    shutil.copytree(ROOT / "build" / "spacy", app / "build" / "spacy")
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    (app / "models").mkdir()
    shutil.copy2(model, app / "models" / model.name)
    assert model_path(app) == app / "models" / model.name, "the image's inputs differ"


def spawn(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def services() -> Iterator[scaleout.Services]:
    shared = scaleout.Services(db_name=f"imgcma_image_{secrets.token_hex(4)}")
    absent = shared.missing()
    if absent:
        pytest.skip(f"needs {' and '.join(absent)} on loopback (DB_HOST/REDIS_HOST ...)")
    try:
        yield shared
    finally:
        shared.drop_database()
        shared.clear_redis()


@pytest.fixture(scope="module")
def images(
    services: scaleout.Services, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[stack.Stack]:
    home = tmp_path_factory.mktemp("images")
    rasa_app, actions_app = home / "rasa" / "app", home / "actions" / "app"
    build_file_set(DOCKER / "Dockerfile.rasa", rasa_app)
    built_artifacts(rasa_app)
    build_file_set(DOCKER / "Dockerfile.actions", actions_app)
    rasa_port, action_port = stack.free_port(), stack.free_port()
    # The image's `python` is this project's interpreter; nothing else from this shell.
    base = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(home),
    }
    actions_env = {
        **base,
        **image_env(DOCKER / "Dockerfile.actions"),
        "ACTION_PORT": str(action_port),
        "SANIC_HOST": "127.0.0.1",
        "PUBLIC_BASE_URL": f"http://localhost:{rasa_port}",
    }
    rasa_env = {
        **base,
        **image_env(DOCKER / "Dockerfile.rasa"),
        **services.env(f"http://127.0.0.1:{action_port}/webhook"),
        "RASA_AUTH_TOKEN": stack.new_token(),
        "RASA_PORT": str(rasa_port),
        "CALENDAR_LINK_SECRET": secrets.token_urlsafe(24),
        "SANIC_PROXIES_COUNT": "1",
    }
    bot = stack.Stack(rasa_port, action_port, rasa_env["RASA_AUTH_TOKEN"])
    bot.logs = [home / "actions.log", home / "rasa.log"]
    try:
        bot.processes.append(
            spawn(image_cmd(DOCKER / "Dockerfile.actions"), actions_app, actions_env, bot.logs[0])
        )
        bot.processes.append(
            spawn(image_cmd(DOCKER / "Dockerfile.rasa"), rasa_app, rasa_env, bot.logs[1])
        )
        stack.wait_ready(bot, timeout=400, progress=False)
        yield bot
    finally:
        bot.stop()


def test_the_images_file_sets_start_and_answer(images: stack.Stack) -> None:
    sender = f"image-{secrets.token_hex(4)}"
    exam = stack.ask(images.url, sender, "how many questions on the cma exam", timeout=120)
    assert "200 questions" in " ".join(r.get("text", "") for r in exam)
    plan = stack.ask(
        images.url, sender, "if i start a certificate in march 2027 when can i work", timeout=120
    )
    text = " ".join(r.get("text", "") for r in plan)
    assert "June 2028" in text and "/webhooks/calendar/plan.ics?token=" in text
    log = images.logs[1].read_text(encoding="utf-8", errors="replace")
    assert "on   REST" in log and "off  Slack" in log  # the effective credentials


def test_nothing_outside_the_file_set_was_used(images: stack.Stack) -> None:
    """The processes ran from the temporary folders, not from this checkout."""
    for process in images.processes:
        cwd = Path(os.readlink(f"/proc/{process.pid}/cwd"))
        assert ROOT not in cwd.parents and cwd != ROOT, cwd
