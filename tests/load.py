"""Load benchmark: N browserless sessions speaking Streamlit's own websocket protocol.

Each session does what a reader's browser does: it fetches the page (taking the proxy's affinity
cookie when there is one), opens `/_stcore/stream`, and asks for a run of a share link with a
`rerun_script` message; then, every `--think` seconds, it asks for a run of another link (on any
page). A run is timed from the request to Streamlit's `script_finished` message. The same load
then runs against a bare Streamlit page (`tests/bench_bare.py`), in the same invocation, so that
the ratio says what the app adds whatever else the machine is doing.

Run with `make load` (or `python -m tests.load --help`). It prints a table and writes JSON to
bench-results/. Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
LINKS = Path(__file__).with_name("load_links.txt")
SLOW_S = 10.0  # a run longer than this counts as an error ("slow")
TIMEOUT_S = 30.0  # a run with no end after this is abandoned and the session reconnects
DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Link:
    """A share link: the page's URL path (empty for the root) and its query string."""

    page: str
    query: str

    @property
    def label(self) -> str:
        return self.page or "map"

    @classmethod
    def parse(cls, line: str) -> Link:
        parts = urlsplit(line.strip())
        return cls(parts.path.strip("/"), parts.query)


@dataclass
class Run:
    """One finished (or failed) script run."""

    page: str
    first: bool
    ms: float
    nbytes: int
    error: str | None = None


@dataclass
class Phase:
    """What one target measured: its runs, errors, and the server's cost."""

    name: str
    runs: list[Run] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    wall_s: float = 0.0
    cpu_pct: float | None = None
    rss_idle_mb: float | None = None
    rss_peak_mb: float | None = None
    sessions: int = 0
    client_cpu_pct: float = 0.0


def read_links(path: Path) -> list[Link]:
    """Links, one a line; blank lines and # comments are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Link.parse(line) for line in lines if line.strip() and not line.startswith("#")]


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_seconds(pids: list[int], last: dict[int, float]) -> float:
    """The CPU seconds of the pids, each at its last reading if it has died since (a replica
    killed during the run); `last` keeps the readings."""
    for pid in pids:
        with contextlib.suppress(OSError):
            last[pid] = proc_cpu_s(pid)
    return sum(last.get(pid, 0.0) for pid in pids)


def proc_rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(
    script: str, settings: list[str], base_path: str = ""
) -> tuple[subprocess.Popen, str]:
    """`streamlit run` on a free loopback port; returns (process, base URL) once healthy.
    `settings` are `section.option=value` pairs."""
    from tests.conftest import start_app

    extra = []
    for setting in settings:
        key, _, value = setting.partition("=")
        extra += [f"--{key}", value]
    return start_app(script, extra, base_path=base_path, log_dir=RESULTS)


def fetch_page(url: str, cookie: str | None = None) -> str | None:
    """GET a page as a browser would first; return the cookies it set (the proxy's affinity)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as resp:
        resp.read()
        cookies = [c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies) or None


class Session:
    """One browserless reader: a websocket, the hashes of the messages it has cached, its runs."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookie: str | None = None
        self.cached: set[str] = set()
        self.ws = None

    async def open(self, link: Link) -> None:
        url = f"{self.base_url}/{link.page}"
        self.cookie = await asyncio.to_thread(fetch_page, url, self.cookie) or self.cookie
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await connect(
            ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers,
            max_size=None,
            ping_interval=None,
            open_timeout=TIMEOUT_S,
        )
        self.cached.clear()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(self, link: Link, first: bool) -> Run:
        """Ask for a run of a link and wait for its end; the run's time, bytes and errors."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = link.query
        state.page_name = link.page
        state.cached_message_hashes.extend(sorted(self.cached))
        state.context_info.url = f"{self.base_url}/{link.page}" + (
            f"?{link.query}" if link.query else ""
        )
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-GB"
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        nbytes, error = 0, None
        deadline = start + TIMEOUT_S
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=deadline - time.perf_counter())
            nbytes += len(data)
            fwd = ForwardMsg.FromString(data)
            if fwd.metadata.cacheable and fwd.hash:
                self.cached.add(fwd.hash)
            kind = fwd.WhichOneof("type")
            if (
                kind == "delta"
                and fwd.delta.WhichOneof("type") == "new_element"
                and fwd.delta.new_element.WhichOneof("type") == "exception"
            ):
                error = "exception"
            elif kind == "script_finished" and fwd.script_finished in DONE:
                break
        ms = (time.perf_counter() - start) * 1000
        if error is None and ms > SLOW_S * 1000:
            error = "slow"
        return Run(link.label, first, ms, nbytes, error)


async def reader(
    number: int, opts: argparse.Namespace, phase: Phase, links: list[Link], end: float
) -> None:
    """One session's life: wait for its turn in the ramp, open a link, then think and rerun."""
    rng = random.Random(opts.seed * 1000 + number)
    await asyncio.sleep(opts.ramp * number / max(opts.sessions, 1))
    session = Session(opts.target)
    first = True
    while time.monotonic() < end:
        link = rng.choice(links)
        try:
            if session.ws is None:
                await session.open(link)
                first = True
            result = await session.run(link, first)
            phase.runs.append(result)
            if result.error:
                phase.errors[result.error] += 1
            first = False
        except TimeoutError:
            phase.errors["timeout"] += 1
            await session.close()
        except (WebSocketException, OSError) as exc:
            # Behind the proxy, say which replica the session was on (its affinity cookie).
            where = f" ({session.cookie.split('=', 1)[-1]})" if session.cookie else ""
            phase.errors["disconnect" + where] += 1
            if opts.verbose:
                print(f"session {number}: {type(exc).__name__}: {exc}", file=sys.stderr)
            await session.close()
            await asyncio.sleep(1)
        pause = opts.think * rng.uniform(0.5, 1.5)
        await asyncio.sleep(max(0.0, min(pause, end - time.monotonic())))
    await session.close()


async def monitor(
    pids: list[int], phase: Phase, stop: asyncio.Event, cpu: dict[int, float]
) -> None:
    """Sample the servers once a second: the peak resident memory (summed over the live pids),
    and each one's CPU time (kept in `cpu`, so that a server that dies still counts)."""
    while not stop.is_set():
        rss = 0.0
        for pid in pids:
            with contextlib.suppress(OSError):
                rss += proc_rss_mb(pid)
        phase.rss_peak_mb = max(phase.rss_peak_mb or 0.0, rss)
        cpu_seconds(pids, cpu)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)


async def load_phase(
    name: str, opts: argparse.Namespace, links: list[Link], pids: list[int]
) -> Phase:
    """Warm the servers up (every link once per server, so that the caches are full and the
    memory per session is the sessions' own), then run the sessions for the duration."""
    phase = Phase(name, sessions=opts.sessions)
    for link in list(dict.fromkeys(links)) * max(1, len(pids)):
        warm = Session(opts.target)
        await warm.open(link)
        await warm.run(link, True)
        await warm.close()
    await asyncio.sleep(1)
    cpu: dict[int, float] = {}
    if pids:
        phase.rss_idle_mb = sum(proc_rss_mb(pid) for pid in pids)
        cpu_start = cpu_seconds(pids, cpu)
    spy = None
    if opts.profile and name == "app" and pids:  # after the warm-up: no imports in the profile
        spy = profile(pids[0], opts.profile, opts.ramp + opts.duration)
    stop = asyncio.Event()
    watcher = asyncio.create_task(monitor(pids, phase, stop, cpu))
    started, client_cpu = time.monotonic(), time.process_time()
    end = started + opts.ramp + opts.duration
    await asyncio.gather(*(reader(i, opts, phase, links, end) for i in range(opts.sessions)))
    phase.wall_s = time.monotonic() - started
    phase.client_cpu_pct = 100 * (time.process_time() - client_cpu) / phase.wall_s
    stop.set()
    await watcher
    if spy is not None:
        await asyncio.to_thread(spy.wait, 120)
    if pids:
        phase.cpu_pct = 100 * (cpu_seconds(pids, cpu) - cpu_start) / phase.wall_s
    return phase


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summary(phase: Phase) -> dict:
    """Per page and overall: first-run and rerun percentiles, bytes, throughput, errors."""
    by_page: dict[str, list[Run]] = defaultdict(list)
    for run in phase.runs:
        by_page[run.page].append(run)
    by_page["all"] = list(phase.runs)
    pages = {}
    for page, runs in sorted(by_page.items()):
        ok = [r for r in runs if r.error != "exception"]
        first = [r.ms for r in ok if r.first]
        rerun = [r.ms for r in ok if not r.first]
        pages[page] = {
            "runs": len(runs),
            "first_p50": pct(first, 50),
            "first_p95": pct(first, 95),
            "first_p99": pct(first, 99),
            "rerun_p50": pct(rerun, 50),
            "rerun_p95": pct(rerun, 95),
            "rerun_p99": pct(rerun, 99),
            "kb_per_run": statistics.fmean(r.nbytes for r in runs) / 1024 if runs else None,
        }
    extra = None
    if phase.rss_idle_mb is not None and phase.rss_peak_mb is not None and phase.sessions:
        extra = (phase.rss_peak_mb - phase.rss_idle_mb) / phase.sessions
    return {
        "name": phase.name,
        "sessions": phase.sessions,
        "wall_s": phase.wall_s,
        "throughput_runs_per_s": len(phase.runs) / phase.wall_s if phase.wall_s else None,
        "errors": dict(phase.errors),
        "cpu_pct_of_a_core": phase.cpu_pct,
        "load_generator_cpu_pct": phase.client_cpu_pct,
        "rss_idle_mb": phase.rss_idle_mb,
        "rss_peak_mb": phase.rss_peak_mb,
        "rss_mb_per_extra_session": extra,
        "pages": pages,
    }


def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(results: list[dict]) -> None:
    print()
    print(
        f"{'target':<6} {'page':<9} {'runs':>5} {'first p50/p95/p99 ms':>22} "
        f"{'rerun p50/p95/p99 ms':>22} {'KB/run':>7}"
    )
    for result in results:
        for page, row in result["pages"].items():
            first = "/".join(fmt(row[f"first_p{q}"]) for q in (50, 95, 99))
            rerun = "/".join(fmt(row[f"rerun_p{q}"]) for q in (50, 95, 99))
            print(
                f"{result['name']:<6} {page:<9} {row['runs']:>5} {first:>22} {rerun:>22} "
                f"{fmt(row['kb_per_run'], 1):>7}"
            )
    print()
    for result in results:
        errors = ", ".join(f"{k} {v}" for k, v in sorted(result["errors"].items())) or "none"
        print(
            f"{result['name']}: {result['sessions']} sessions, "
            f"{fmt(result['throughput_runs_per_s'], 2)} runs/s, errors: {errors}; server CPU "
            f"{fmt(result['cpu_pct_of_a_core'])}% of a core, RSS idle "
            f"{fmt(result['rss_idle_mb'])} MB, peak {fmt(result['rss_peak_mb'])} MB "
            f"({fmt(result['rss_mb_per_extra_session'], 2)} MB per extra session); "
            f"load generator CPU {fmt(result['load_generator_cpu_pct'])}%"
        )
    if len(results) == 2:
        app, bare = (r["pages"]["all"] for r in results)
        ratio = {
            key: app[key] / bare[key] if app[key] and bare[key] else None
            for key in ("first_p50", "first_p95", "rerun_p50", "rerun_p95")
        }
        tput = results[0]["throughput_runs_per_s"] / results[1]["throughput_runs_per_s"]
        print(
            "app / bare: first run p50 x{} p95 x{}, rerun p50 x{} p95 x{}, throughput x{}".format(
                *(fmt(ratio[k], 2) for k in ratio), fmt(tput, 2)
            )
        )
        results[0]["ratio_to_bare"] = {**ratio, "throughput": tput}


def profile(pid: int, path: Path, seconds: float) -> subprocess.Popen:
    """Sample the server with py-spy (a dev requirement) while the load runs: raw collapsed
    stacks, one line per stack, with idle threads left out."""
    spy = Path(sys.executable).with_name("py-spy")
    cmd = [str(spy), "record", "-p", str(pid), "-d", str(int(seconds)), "-r", "50"]
    cmd += ["-f", "raw", "-o", str(path), "--nonblocking", "--threads"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--think", type=float, default=5.0, help="seconds between a session's runs")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds after the ramp")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds to start all sessions")
    parser.add_argument("--links", type=Path, default=LINKS, help="share links, one a line")
    parser.add_argument("--url", help="an app already running (one process or the proxy)")
    parser.add_argument("--pid", type=int, action="append", default=[], help="its server pids")
    parser.add_argument("--base-path", default="", help="server.baseUrlPath of the app we start")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="a Streamlit option for the servers we start, e.g. runner.postScriptGC=true",
    )
    parser.add_argument("--script", default="streamlit_app.py", help="the app's entry point")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare page")
    parser.add_argument("--json", type=Path, help="where to write the JSON figures")
    parser.add_argument("--profile", type=Path, help="write a py-spy profile of the app here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    opts = options(argv)
    links = read_links(opts.links)
    results = []
    targets = [("app", opts.script, links)]
    if not opts.no_bare:
        targets.append(("bare", "tests/bench_bare.py", [Link("", "")]))
    for name, script, page_links in targets:
        proc = None
        if name == "app" and opts.url:
            opts.target, pids = opts.url.rstrip("/"), list(opts.pid)
        else:
            proc, opts.target = start_server(script, opts.set, opts.base_path)
            pids = [proc.pid]
        print(f"{name}: {opts.sessions} sessions on {opts.target} (pids {pids}) ...", flush=True)
        try:
            phase = asyncio.run(load_phase(name, opts, page_links, pids))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
        results.append(summary(phase))
    print_table(results)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "options": {k: str(v) for k, v in vars(opts).items()},
        "results": results,
    }
    path = opts.json or RESULTS / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=asdict))
    print(f"JSON: {path}")


if __name__ == "__main__":
    main()
