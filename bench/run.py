"""`make bench`: the project's performance bars (README "Benchmarks") as numbers, measured side by side in one run.

For SQLite and PostgreSQL in turn: migrate a fresh database, load the bundled bank, create
benchmark candidates, serve the app with gunicorn (DEBUG off, production middleware) and
drive it with wrk from a separate process. Every HTTP figure is reported next to a trivial
Django view served the same way in the same run, because absolute numbers drift between
machines and runs; the ratio is the figure that means something.

In-process figures: assembling a mock from a generated 10,000-question bank, the weakness
report over 100,000 responses (PostgreSQL), and the optimistic paint in Chromium with the
network delayed by 1.5 s.

Writes bench/out/results.json and bench/out/results.md and prints the table.
"""

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = 2
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# BENCH_ONLY=http-pg: only the PostgreSQL HTTP rows (a quick run while working on a page).
ONLY = os.environ.get("BENCH_ONLY", "")
# The scratch databases' name (and prefix): several checkouts on one server need their own.
DB = os.environ.get("BENCH_DB", "quizapp_bench")


def base_env(database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "TMPDIR", "VIRTUAL_ENV")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY="bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        LOG_LEVEL="ERROR",
        # Several workers share Redis as in production (gunicorn.conf.py insists). wrk sends
        # far more saves per candidate than a person can: the save limit still costs its
        # cache round trip on every save, but never refuses one here.
        REDIS_URL=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0"),
        SAVE_RATE="1000000000/10",
        # The start row makes a new guest and a new mock on every request, from one address.
        GUEST_ADDRESS_RATE="1000000000/10",
        START_RATE="1000000000/10",
        START_ADDRESS_RATE="1000000000/10",
    )
    return env


def run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(["psql", "-q", f"{PG_SERVER}/postgres", "-c", sql], check=True, capture_output=True)


class Server:
    """gunicorn with production settings on a free loopback port."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], self.env)
        self.process = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "quizapp.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User and system CPU seconds each process has used so far (gone processes left out)."""
    seconds = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def server_processes(server: "Server", database_url: str) -> set[int]:
    """The gunicorn workers and, on PostgreSQL, the database backends serving them."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    pids = {int(pid) for pid in children}
    if database_url.startswith("postgres"):
        query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{database_url.rsplit('/', 1)[1]}'"
        result = subprocess.run(
            ["psql", "-qtA", f"{PG_SERVER}/postgres", "-c", query],
            check=True,
            capture_output=True,
            text=True,
        )
        pids |= {int(pid) for pid in result.stdout.split()}
    return pids


def measured(server: "Server", database_url: str, *args, **kwargs) -> dict:
    """``wrk(...)`` plus the server's CPU time per request: the gunicorn workers' and their
    database backends'. Throughput on a machine shared with other jobs drifts with their
    load; the CPU a request costs the server hardly does, so its ratio is the steadier one."""
    before = cpu_seconds(server_processes(server, database_url))
    figure = wrk(*args, **kwargs)
    after = cpu_seconds(server_processes(server, database_url) | set(before))
    used = sum(after[pid] - before.get(pid, 0.0) for pid in after)
    figure["cpu_ms"] = round(1000 * used / max(figure["requests"], 1), 3)
    return figure


def wrk(url: str, script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-s", f"bench/{script}", url]
    if args:
        command += ["--", *args]
    result = subprocess.run(
        command, cwd=ROOT, check=True, text=True, capture_output=True, env={**os.environ, **(env or {})}
    )
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(line)


def http_figures(name: str, database_url: str) -> dict:
    env = base_env(database_url)
    print(f"== {name}: migrate, load the bank, create candidates", flush=True)
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([PY, "manage.py", "load_bank"], env, capture_output=True)
    fixtures = json.loads(run([PY, "-m", "bench.fixtures", str(THREADS)], env, capture_output=True).stdout)
    sessions = fixtures["sessions"]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as candidates:
        for session in sessions:
            answers = ["\t".join(" ".join([a["path"], *map(str, a["options"])]) for a in session["answers"])]
            candidates.write("\t".join([session["cookie"], session["csrf"], *answers]) + "\n")
    cookie = {"BENCH_COOKIE": sessions[0]["cookie"]}
    figures = {}
    with Server(env) as server:
        print(f"== {name}: load ({DURATION} s each, {CONNECTIONS} connections, {WORKERS} workers)", flush=True)

        def load(*args, **kwargs) -> dict:
            return measured(server, database_url, *args, **kwargs)

        figures["trivial view"] = load(f"{server.url}/bench/trivial", "get.lua")
        figures["trivial view, POSTed like a save"] = load(server.url, "answer.lua", candidates.name, "/bench/trivial")
        figures["a save's ownership check alone"] = load(server.url, "answer.lua", candidates.name, "/bench/ownership")
        figures["answer save (htmx POST)"] = load(server.url, "answer.lua", candidates.name)
        # After the saves, on the same items: its counter starts above theirs.
        figures["a save's floor: the session and the write"] = load(
            server.url, "answer.lua", candidates.name, "/bench/floor", env={"BENCH_SEQ": "10000000"}
        )
        figures["exam question page"] = load(server.url + sessions[0]["question_path"], "get.lua", env=cookie)
        figures["next-question htmx fragment"] = load(
            server.url + sessions[0]["question_path"], "get.lua", env={**cookie, "BENCH_HX_TARGET": "question-card"}
        )
        figures["results page"] = load(server.url + sessions[0]["results_path"], "get.lua", env=cookie)
        # Last: every request writes a guest, a session and a 65-item mock.
        figures["mock start (HTTP POST, new guest)"] = load(
            server.url, "start.lua", "/exams/aif-c01-full/start/", env={"BENCH_CSRF": sessions[0]["csrf"]}
        )
    os.unlink(candidates.name)
    baseline, baseline_cpu = figures["trivial view"]["rps"], figures["trivial view"]["cpu_ms"]
    for figure in figures.values():
        figure["ratio"] = round(figure["rps"] / baseline, 3)
        figure["cpu_ratio"] = round(baseline_cpu / figure["cpu_ms"], 3) if figure["cpu_ms"] else None
    return figures


def timing(module: str, database_url: str, *args: str) -> dict:
    env = base_env(database_url)
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    result = run([PY, "-m", module, *args], env, capture_output=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": pg,
        "date": time.strftime("%Y-%m-%d"),
    }


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}), Python {m['python']}, {m['postgresql']};",
        f"gunicorn {WORKERS} sync workers, DEBUG off; wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}s "
        "from a separate process.",
        "",
        "| database | endpoint | req/s | p50 ms | p95 ms | ratio to trivial view | server CPU ms/request "
        "| CPU ratio | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for database, figures in results["http"].items():
        for endpoint, f in figures.items():
            lines.append(
                f"| {database} | {endpoint} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
                # Three decimals, as stored: two would round a stored 0.195 (0.1947) up to 0.20.
                f"{f['ratio']:.3f} | {f['cpu_ms']:.2f} | {f['cpu_ratio'] or 0:.3f} | {f['errors'] + f['non_2xx']} |"
            )
    lines += ["", "| in-process figure | value | target |", "|---|---:|---|"]
    for row in results["timings"]:
        lines.append(f"| {row['name']} | {row['value']} | {row['target']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does this).")
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "http": {}, "timings": []}
    if ONLY != "http-pg":
        with tempfile.TemporaryDirectory() as tmp:
            results["http"]["SQLite"] = http_figures("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        results["http"]["PostgreSQL"] = http_figures("PostgreSQL", f"{PG_SERVER}/{DB}")
    finally:
        psql(f"DROP DATABASE IF EXISTS {DB}")
    if ONLY == "http-pg":
        finish(results)
        return

    print("== assembly from a 10,000-question bank", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        results["timings"].extend(timing("bench.assembly", f"sqlite:///{tmp}/assembly.sqlite3", "SQLite")["rows"])
    psql(f"DROP DATABASE IF EXISTS {DB}_bank")
    psql(f"CREATE DATABASE {DB}_bank")
    try:
        results["timings"].extend(timing("bench.assembly", f"{PG_SERVER}/{DB}_bank", "PostgreSQL")["rows"])
    finally:
        psql(f"DROP DATABASE IF EXISTS {DB}_bank")
    print("== weakness report over 100,000 responses (PostgreSQL)", flush=True)
    psql(f"DROP DATABASE IF EXISTS {DB}_report")
    psql(f"CREATE DATABASE {DB}_report")
    try:
        results["timings"].extend(timing("bench.report", f"{PG_SERVER}/{DB}_report")["rows"])
    finally:
        psql(f"DROP DATABASE IF EXISTS {DB}_report")

    print("== optimistic paint in Chromium (network delayed 1.5 s)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        results["timings"].append(timing("bench.paint", f"sqlite:///{tmp}/paint.sqlite3"))
    finish(results)


def finish(results: dict) -> None:
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (OUT / "results.md").write_text(table)
    print()
    print(table)


if __name__ == "__main__":
    main()
