"""deploy/nginx/nginx.conf in front of the two replicas: REST spreads, /socket.io/ sticks."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.dev import scaleout, stack

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "nginx.conf"


def local_conf(replicas: list[stack.Stack], port: int, home: Path) -> str:
    """The deployment's config with loopback upstreams, a free port and private paths."""
    text = CONF.read_text().replace("/tmp/nginx-imgcma", str(home / "nginx"))
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    servers = "".join(
        f"        server 127.0.0.1:{r.rasa_port} max_fails=3 fail_timeout=10s;\n" for r in replicas
    )
    return re.sub(r"(        server rasa-\d:5005[^\n]*\n)+", servers, text)


@pytest.fixture(scope="module")
def balancer(
    replicas: list[stack.Stack], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.fail("nginx is not installed (.ci/run installs it: apt-get install nginx-light)")
    home = tmp_path_factory.mktemp("nginx")
    port = scaleout.free_port()
    conf = home / "nginx.conf"
    conf.write_text(local_conf(replicas, port, home))
    check = subprocess.run([nginx, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [nginx, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            if scaleout.reachable("127.0.0.1", port, timeout=0.2):
                break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def upstream_of(url: str, path: str, body: bytes | None = None) -> str:
    request = urllib.request.Request(
        url + path, data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.headers["X-Upstream"]
    except urllib.error.HTTPError as error:  # Rasa has no socket.io channel configured: 404
        return error.headers["X-Upstream"]


def test_rest_turns_spread_over_both_replicas(balancer: str, replicas: list[stack.Stack]) -> None:
    sender = f"nginx-{uuid.uuid4().hex[:6]}"
    body = b'{"sender": "%s", "message": "what does a cma do"}' % sender.encode()
    served = {upstream_of(balancer, "/webhooks/rest/webhook", body) for _ in range(12)}
    assert served == {f"127.0.0.1:{r.rasa_port}" for r in replicas}


def test_socketio_requests_stay_on_one_replica(balancer: str) -> None:
    served = {
        upstream_of(balancer, f"/socket.io/?EIO=4&transport=polling&t={i}") for i in range(12)
    }
    assert len(served) == 1, served
