"""Private Redis and PostgreSQL servers the fault tests may stop and start.

Each runs from its own temporary directory on a free loopback port, so the
machine's shared servers (5432, 6379) are never touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.e2e.helpers import free_port


def _wait_port(port: int, up: bool, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.2)
    raise TimeoutError(f"port {port} did not go {'up' if up else 'down'} in {timeout:.0f} s")


class PrivateRedis:
    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise RuntimeError("redis-server is not installed (.ci/run installs it)")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="imgcma-redis-"))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_port(self.port, up=True)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)
        _wait_port(self.port, up=False)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (.ci/run installs it)")
    return found[-1]


class PrivatePostgres:
    """A throw-away cluster (initdb as the postgres user, trust auth on loopback)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="imgcma-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        os.chmod(self.root, 0o755)
        shutil.chown(self.root, "postgres", "postgres")
        self._as_postgres(
            [_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
             "--no-sync", "-E", "UTF8"]
        )  # fmt: skip

    def _as_postgres(self, cmd: list[str]) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root} -c fsync=off"
        self._as_postgres(
            [_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
             "-w", "start"]
        )  # fmt: skip
        _wait_port(self.port, up=True)

    def stop(self) -> None:
        self._as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
        _wait_port(self.port, up=False)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
