"""The deployment files: the Kubernetes manifest against the Kubernetes schema (offline, with
kubernetes-validate's bundled schemas), and the HAProxy configuration as HAProxy reads it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
K8S_VERSION = "1.33.0"


def documents() -> list[dict]:
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_manifests_are_valid_kubernetes_objects():
    docs = documents()
    assert {d["kind"] for d in docs} == {"Deployment", "Service", "Ingress"}
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)  # raises on any error


def test_a_broken_manifest_is_caught():
    deployment = next(d for d in documents() if d["kind"] == "Deployment")
    deployment["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


def test_probes_check_streamlit_health_and_the_ingress_is_sticky():
    docs = {d["kind"]: d for d in documents()}
    container = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    annotations = docs["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    service = docs["Service"]["spec"]
    assert service["selector"] == docs["Deployment"]["spec"]["selector"]["matchLabels"]


def serve_script():
    """scripts/serve.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def haproxy() -> str:
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(found).exists():
        pytest.skip("HAProxy is missing (make haproxy)")
    return found


@pytest.mark.parametrize("servers", ["haproxy-compose-servers.cfg", None])
def test_haproxy_configuration_is_valid(servers, tmp_path):
    if servers is None:  # what scripts/serve.py writes
        path = tmp_path / "servers.cfg"
        path.write_text(serve_script().servers_cfg([18601, 18602]))
    else:
        path = ROOT / "deploy" / servers
    env = {**os.environ, "BIND": "127.0.0.1:18600", "BASE_PATH": "/explorer/"}
    env["STATS_SOCKET"] = str(tmp_path / "haproxy.sock")
    cmd = [haproxy(), "-c", "-f", str(ROOT / "deploy" / "haproxy.cfg"), "-f", str(path)]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
