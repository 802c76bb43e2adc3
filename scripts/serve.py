"""`make serve REPLICAS=N PORT=P`: N app processes behind HAProxy, in the foreground.

The replicas listen on 127.0.0.1, ports P+1..P+N; HAProxy listens on BIND (default
127.0.0.1:P) with deploy/haproxy.cfg: cookie affinity, websockets, health checks on
/_stcore/health. A replica that dies is restarted after RESTART_DELAY_S; HAProxy takes it out
of rotation within a few seconds and back once it is healthy. Ctrl-C (or SIGTERM) stops all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
RESTART_DELAY_S = 2.0


def haproxy_binary() -> str:
    """HAProxy from Debian (scripts/ensure-haproxy installs it)."""
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if not found:
        sys.exit("HAProxy is missing: run `make haproxy` (or apt-get install -y haproxy)")
    return found


def base_path(value: str) -> str:
    """The base path with its slashes as HAProxy's health check wants it: "/" or "/x/"."""
    stripped = value.strip("/")
    return f"/{stripped}/" if stripped else "/"


def servers_cfg(ports: list[int]) -> str:
    """The `backend app` section: one server per replica, its cookie value its name."""
    lines = ["backend app"]
    lines += [
        f"    server app{i} 127.0.0.1:{port} cookie app{i}" for i, port in enumerate(ports, 1)
    ]
    return "\n".join(lines) + "\n"


def replica_command(port: int, base: str) -> list[str]:
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if base.strip("/"):
        cmd += ["--server.baseUrlPath", base.strip("/")]
    return cmd


class Cluster:
    """The replicas and the proxy, with a supervisor loop that restarts dead replicas."""

    def __init__(self, replicas: int, port: int, bind: str, base: str, logs: Path) -> None:
        self.ports = [port + i for i in range(1, replicas + 1)]
        self.bind, self.base, self.logs = bind, base, logs
        self.procs: dict[int, subprocess.Popen] = {}
        self.died_at: dict[int, float] = {}
        self.proxy: subprocess.Popen | None = None
        self.socket = logs / "haproxy.sock"

    def start_replica(self, port: int) -> None:
        log = open(self.logs / f"replica-{port}.log", "a")  # noqa: SIM115 - lives with the process
        self.procs[port] = subprocess.Popen(
            replica_command(port, self.base), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        print(f"replica {port}: pid {self.procs[port].pid}", flush=True)

    def start(self) -> None:
        # The static files every replica serves, made once before they start.
        subprocess.run([sys.executable, "-m", "explorer.assets"], cwd=ROOT, check=True)
        subprocess.run([sys.executable, "-m", "explorer.downloads"], cwd=ROOT, check=True)
        for port in self.ports:
            self.start_replica(port)
        servers = self.logs / "servers.cfg"
        servers.write_text(servers_cfg(self.ports))
        env = {
            **os.environ,
            "BIND": self.bind,
            "BASE_PATH": base_path(self.base),
            "STATS_SOCKET": str(self.socket),
        }
        cmd = [haproxy_binary(), "-W", "-db", "-f", str(HAPROXY_CFG), "-f", str(servers)]
        log = open(self.logs / "haproxy.log", "a")  # noqa: SIM115 - lives with the process
        self.proxy = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        print(
            f"haproxy: pid {self.proxy.pid}, http://{self.bind}{base_path(self.base)}", flush=True
        )

    def supervise(self) -> None:
        """Restart replicas that died; stop when the proxy dies."""
        while True:
            if self.proxy is not None and self.proxy.poll() is not None:
                raise SystemExit(f"haproxy exited ({self.proxy.returncode}); see {self.logs}")
            now = time.monotonic()
            for port, proc in list(self.procs.items()):
                if proc.poll() is None:
                    continue
                died = self.died_at.setdefault(port, now)
                if now - died >= RESTART_DELAY_S:
                    print(f"replica {port} exited ({proc.returncode}); restarting", flush=True)
                    del self.died_at[port]
                    self.start_replica(port)
            time.sleep(0.5)

    def stop(self) -> None:
        everyone = [p for p in (self.proxy, *self.procs.values()) if p is not None]
        for proc in everyone:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 15
        for proc in everyone:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501, help="the proxy's port")
    parser.add_argument("--bind", help="the proxy's address:port (default 127.0.0.1:PORT)")
    parser.add_argument("--base-path", default="", help="server.baseUrlPath, e.g. explorer")
    parser.add_argument("--logs", type=Path, help="folder for logs and the proxy's socket")
    opts = parser.parse_args(argv)
    logs = opts.logs or Path(tempfile.mkdtemp(prefix="stalins-shadow-serve-"))
    logs.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(
        opts.replicas, opts.port, opts.bind or f"127.0.0.1:{opts.port}", opts.base_path, logs
    )

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)  # also when started in the background (SIGINT ignored)
    print(f"logs: {logs}", flush=True)
    try:
        cluster.start()
        cluster.supervise()
    except KeyboardInterrupt:
        print("stopping...", flush=True)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
