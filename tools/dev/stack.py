"""Start, watch and stop the bot's two processes: the action server and Rasa.

Used by `make run` (tools/dev/run.py) and by the tests and evaluations that need
a real server (tools/dev/evaluate_bot.py, tests/e2e).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.dev import channel_config

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


@dataclass
class Stack:
    """A running action server + Rasa server pair."""

    rasa_port: int
    action_port: int | None
    token: str
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    channels: list[channel_config.ChannelStatus] = field(default_factory=list)
    endpoints: Path | None = None  # the endpoints file Rasa was given

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def stop(self, timeout: float = 20.0) -> None:
        """Stop every child (SIGTERM, then SIGKILL after `timeout`)."""
        for proc in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.processes:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def dead(self) -> subprocess.Popen | None:
        """The first child that has exited, if any."""
        return next((p for p in self.processes if p.poll() is not None), None)


def free_port() -> int:
    """A loopback TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port(base: int) -> int:
    """`base` shifted by IMGCMA_PORT_OFFSET, so parallel checkouts can test side by side."""
    return base + int(os.environ.get("IMGCMA_PORT_OFFSET", "0"))


def new_token() -> str:
    """A random auth token; hex, so it never starts with "-" and pastes safely as an argument."""
    return secrets.token_hex(24)


def write_endpoints(path: Path, action_port: int, tracker_db: Path) -> Path:
    """An endpoints file for a stack on non-default ports with its own tracker."""
    path.write_text(
        "action_endpoint:\n"
        f'  url: "http://127.0.0.1:{action_port}/webhook"\n'
        "tracker_store:\n"
        "  type: server.tracker_store.FastSQLTrackerStore\n"
        '  dialect: "sqlite"\n'
        f'  db: "{tracker_db}"\n',
        encoding="utf-8",
    )
    return path


class PortTaken(RuntimeError):
    """A port the stack should listen on is already in use."""


def port_in_use(number: int, host: str = "127.0.0.1") -> bool:
    """True when binding `host:number` fails (someone listens there), as the servers would."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # like Sanic: TIME_WAIT is fine
        try:
            probe.bind((host, number))
        except OSError:
            return True
    return False


_ACTION_URL = re.compile(
    r"^(action_endpoint:[ \t]*\n(?:(?:[ \t]*#.*|[ \t]*)\n)*[ \t]+url:[ \t]*).*$", re.M
)


def pin_action_endpoint(endpoints: Path, action_port: int, out: Path) -> Path:
    """A copy of `endpoints` whose action server is the one this stack started.

    Only the `action_endpoint: url:` line changes (the rest, ${VARS} included,
    stays as written), so a Rasa server never calls another bot's action server
    because endpoints.yml names the default port.
    """
    text = endpoints.read_text(encoding="utf-8")
    pinned, count = _ACTION_URL.subn(
        lambda m: f'{m.group(1)}"http://127.0.0.1:{action_port}/webhook"', text, count=1
    )
    if count != 1:
        raise ValueError(
            f"{endpoints}: no 'action_endpoint:' with a 'url:' line to point at :{action_port}"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(pinned, encoding="utf-8")
    return out


def _spawn(cmd: list[str], log: Path | None, env: dict[str, str]) -> subprocess.Popen:
    out = open(log, "ab") if log else None  # noqa: SIM115 - handed to the child
    # A process group per child, so stopping it also stops what it forked.
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT if out else None,
        start_new_session=True,
    )


def start(
    model: Path,
    *,
    token: str,
    rasa_port: int = 5005,
    action_port: int = 5055,
    endpoints: Path = ROOT / "endpoints.yml",
    credentials: Path = ROOT / "credentials.yml",
    log_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
    with_action_server: bool = True,
    debug: bool = False,
) -> Stack:
    """Start both servers (or Rasa alone) in the background; call `wait_ready` next.

    With the action server, Rasa gets a copy of `endpoints` pointing at it
    (`pin_action_endpoint`). A port already in use raises PortTaken before
    anything starts. `debug` asks both for DEBUG logs; Rasa grants it only with
    LOG_USER_TEXT=1.
    """
    wanted = {"Rasa": rasa_port, **({"action server": action_port} if with_action_server else {})}
    for what, number in wanted.items():
        if port_in_use(number):
            raise PortTaken(f"port {number} (for the {what}) is already in use on 127.0.0.1")
    verbosity = ["--debug"] if debug else []
    env = _server_env(rasa_port, extra_env)
    stack = Stack(
        rasa_port=rasa_port,
        action_port=action_port if with_action_server else None,
        token=token,
    )
    run_dir = log_dir or ROOT / "build" / "run"
    # Channels whose ${VARS} are unset are left out (and reported), not fatal.
    credentials, stack.channels = channel_config.write_effective(
        credentials, env, run_dir / f"credentials-{rasa_port}.yml"
    )
    if with_action_server:
        endpoints = pin_action_endpoint(
            endpoints, action_port, run_dir / f"endpoints-{rasa_port}.yml"
        )
    stack.endpoints = endpoints
    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)
        stack.logs = [log_dir / "action_server.log", log_dir / "rasa_server.log"]
    logs = stack.logs or [None, None]
    if with_action_server:
        action_server = [*_python("rasa_sdk", "--actions", "actions"), "--port", str(action_port)]
        stack.processes.append(_spawn([*action_server, *verbosity], logs[0], env))
    rasa = [
        *_python("server", "run", "--model", str(model), "--port", str(rasa_port)),
        "--enable-api",
        # One argument: a token starting with "-" must not read as an option.
        f"--auth-token={token}",
        *("--endpoints", str(endpoints), "--credentials", str(credentials)),
        *("--interface", "127.0.0.1", *verbosity),
    ]
    stack.processes.append(_spawn(rasa, logs[1], env))
    return stack


def _python(module: str, *args: str) -> list[str]:
    return [str(BIN / "python"), "-m", module, *args]


def _server_env(rasa_port: int, extra_env: dict[str, str] | None) -> dict[str, str]:
    """The environment both servers start with."""
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **(extra_env or {})}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The action server has no authentication: keep it on loopback (rasa_sdk binds
    # SANIC_HOST, 0.0.0.0 by default). See docs/security.md.
    env.setdefault("SANIC_HOST", "127.0.0.1")
    # Both servers must agree on these for the plans' calendar links to work.
    env.setdefault("CALENDAR_LINK_SECRET", secrets.token_urlsafe(24))
    env.setdefault("PUBLIC_BASE_URL", f"http://localhost:{rasa_port}")
    return env


def start_isolated(
    model: Path,
    home: Path,
    *,
    token: str | None = None,
    rasa_port: int | None = None,
    action_port: int | None = None,
    **options: Any,
) -> Stack:
    """`start` with its own tracker database under `home`, on free ports unless given.

    For evaluations, benchmarks and tests that must not touch the user's
    conversations or ports; `options` go to `start` as they are.
    """
    action_port = action_port or free_port()
    endpoints = write_endpoints(home / "endpoints.yml", action_port, home / "tracker.db")
    return start(
        model,
        token=token or new_token(),
        rasa_port=rasa_port or free_port(),
        action_port=action_port,
        endpoints=endpoints,
        **options,
    )


def ask(url: str, sender: str, text: str, timeout: float = 30.0) -> list[dict]:
    """Send one message over the REST channel and return the bot's replies."""
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    # bandit B310: a test/dev tool posting to the bot it started (http://127.0.0.1:...).
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
        return json.loads(response.read().decode() or "[]")


def _action_server_up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:  # nosec B310
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _model_status(stack: Stack) -> int | None:
    """The HTTP status of Rasa's /status (409: no model loaded), None while it is not listening."""
    url = f"{stack.url}/status?token={urllib.parse.quote(stack.token)}"
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # nosec B310
            return int(r.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return None


def _load_failure(stack: Stack) -> str:
    """Rasa's own reason for not loading the model, from its log where there is one."""
    if not stack.logs:
        return "see the Rasa server's output above"
    try:
        lines = stack.logs[-1].read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    reason = next((line for line in lines if "Could not load model" in line), "")
    reason = reason.split(" - ", 1)[-1].strip()
    return f"{reason or 'no reason logged'} (see {stack.logs[-1]})"


def wait_ready(stack: Stack, timeout: float = 180.0, progress: bool = True) -> float:
    """Block until the bot answers a message; return the seconds it took.

    Ready means the first real answer over the REST channel, not just an open
    port: Rasa opens its port only after loading the model, but the action
    server may still be starting.
    """
    started = time.monotonic()
    last_note = 0.0
    attempt = 0
    while True:
        elapsed = time.monotonic() - started
        crashed = stack.dead()
        if crashed is not None:
            hint = f" (see {stack.logs})" if stack.logs else ""
            raise RuntimeError(f"{crashed.args[0]} exited with code {crashed.returncode}{hint}")
        if elapsed > timeout:
            raise TimeoutError(f"the bot did not answer within {timeout:.0f} s")
        status = _model_status(stack)
        if status == 409:
            # Rasa listens only once it has tried to load the model, and keeps running
            # without one: nothing will change by waiting.
            raise RuntimeError(f"Rasa started but could not load the model: {_load_failure(stack)}")
        if status == 200 and (stack.action_port is None or _action_server_up(stack.action_port)):
            attempt += 1
            try:
                # A new sender each time: the per-sender rate limit must not answer for the bot.
                if ask(stack.url, f"readiness-{os.getpid()}-{attempt}", "hello", timeout=10):
                    return time.monotonic() - started
            except (urllib.error.URLError, OSError, ValueError):
                pass
        if progress and elapsed - last_note >= 10:
            print(f"  ... waiting for the bot to load ({elapsed:.0f} s)", file=sys.stderr)
            last_note = elapsed
        time.sleep(0.5)
