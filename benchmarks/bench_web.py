"""Web benchmark (issue #6 §6): the person page and the person API under load.

A registry of ``--people`` persons (default 10^6; ``bench_registry.province``: a
synthetic Jiangxi with a fifth as many status periods, enrollments, roster entries) is
written to a fresh SQLite file with ADBC and planned for 2018 (``run_plan``), so a person
page has statuses, enrollments and plan rows to show. ``doudi serve`` then serves it
(gunicorn, ``--workers`` processes of ``--threads`` threads — by default as ``doudi
serve``: sync workers, 2 × cores + 1 — no job worker), and wrk
(Debian's package, installed when missing) drives it at 1, 10 and 50 concurrent
connections for ``--seconds`` each (after 3 s of each case unmeasured, to warm the
server up), every request for a person drawn at random:

- ``page``: ``GET /people/<id>/`` signed in as a provincial administrator (session cookie);
- ``api``: ``GET /api/people/<id>`` with a bearer token;
- ``static``: ``GET /static/web/app.css`` (WhiteNoise), the baseline in the same run: what
  the server and the machine cost before any Django view or database query.

It prints p50/p95/p99 latency, throughput and errors per case, the ratio of each p95 to
the baseline's, and whether the target holds: person page and person API p95 under 200 ms
at 50 concurrent users on the 2-core reference machine. The load generator runs on the
same two cores as the server, as a caseworker's office would not; the figures are an
upper bound of what the server alone needs.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib
from doudi.web.cli import DEFAULT_WORKERS

PASSWORD = "bench-password-2018"
LUA = """
math.randomseed(%(seed)d)
local n = %(n)d
local header = %(header)s
request = function()
  local path = string.format(%(path)s, math.random(1, n))
  return wrk.format("GET", path, header)
end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"p50": %%d, "p95": %%d, "p99": %%d, "requests": %%d, ' ..
    '"seconds": %%f, "errors": %%d, "non2xx": %%d}\\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--people", type=int, default=int(os.environ.get("DOUDI_BENCH_PEOPLE", 10**6))
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per process (1: sync workers)"
    )
    parser.add_argument("--concurrency", default="1,10,50")
    return parser.parse_args()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
        found = shutil.which("wrk")
    assert found, "wrk is not installed"
    return found


def build(directory: Path, people: int) -> tuple[str, dict[str, float]]:
    """A registry of ``people`` persons, planned for 2018; its URL and the build times."""
    from bench_registry import province

    url = f"sqlite:///{directory}/registry.sqlite3"
    os.environ["DOUDI_DATABASE_URL"] = url
    from doudi.plan import versions as plan
    from doudi.store import db

    db.setup()
    database = db.Database()
    database.migrate()
    db.Database("jobs").migrate()
    times: dict[str, float] = {}
    start = time.perf_counter()
    tables = province(people, people // 5)
    times["synthesize"] = time.perf_counter() - start
    start = time.perf_counter()
    order = (
        "registry_import_batch",
        "registry_person",
        "registry_roster_entry",
        "registry_rejected_row",
        "registry_status_period",
        "registry_enrollment",
    )
    with database.transaction() as con:
        for name in order:
            db.ingest(con, database, name, db.text_times(tables[name], database))
    times["write registry"] = time.perf_counter() - start
    del tables
    start = time.perf_counter()
    result = plan.run_plan(database, "360000", 2018, snapshots=directory / "plans")
    times["plan 2018"] = time.perf_counter() - start
    times["plan rows"] = float(result.people)
    from doudi.web.accounts import set_user

    set_user("bench", "province_admin", "360000", PASSWORD)
    return url, times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int, workers: int, threads: int, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DOUDI_DATABASE_URL": url, "DOUDI_HOME": str(home)}
    command = [
        sys.executable,
        "-c",
        "from doudi.cli import app; app()",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--no-worker",
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def session_cookie(base: str) -> str:
    """Sign in through the login page; the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    data = urllib.parse.urlencode(
        {"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    opener.open(urllib.request.Request(base + "/login/", data, {"Referer": base + "/login/"}))
    cookie = {c.name: c.value for c in jar}
    assert "sessionid" in cookie, "login failed"
    return f"sessionid={cookie['sessionid']}"


def api_token() -> str:
    from django.contrib.auth import get_user_model

    from doudi.web import tokens

    return tokens.issue(get_user_model().objects.get(username="bench"), "bench")


def run_wrk(
    wrk: str, base: str, path: str, header: dict[str, str], n: int, c: int, seconds: int
) -> dict[str, Any]:
    lua_header = "{" + ", ".join(f'["{k}"] = "{v}"' for k, v in header.items()) + "}"
    script = LUA % {"seed": c, "n": n, "header": lua_header, "path": json.dumps(path)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    threads = min(2, c)
    out = subprocess.run(
        [wrk, f"-t{threads}", f"-c{c}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(f.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    args = parse_args()
    wrk = ensure_wrk()
    for line in benchlib.machine():
        print(line)
    home = Path(tempfile.mkdtemp(prefix="doudi-bench-web-"))
    url, times = build(home, args.people)
    print(
        f"registry  {args.people:,} people: "
        + ", ".join(
            f"{k} {v:.1f} s" if k != "plan rows" else f"{int(v):,} planned"
            for k, v in times.items()
        )
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, port, args.workers, args.threads, home)
    try:
        cases = {
            "static": ("/static/web/app.css?%d", {}),
            "page": ("/people/%d/", {"Cookie": session_cookie(base)}),
            "api": ("/api/people/%d", {"Authorization": f"Bearer {api_token()}"}),
        }
        # warm up first, unmeasured: every thread opens its database connection and
        # every process loads its templates, as a server that has been running has
        for path, header in cases.values():
            run_wrk(wrk, base, path, header, args.people, 50, 3)
        rows = []
        baseline: dict[int, float] = {}
        for c in (int(x) for x in args.concurrency.split(",")):
            for name, (path, header) in cases.items():
                r = run_wrk(wrk, base, path, header, args.people, c, args.seconds)
                if name == "static":
                    baseline[c] = max(r["p95"], 1)
                rows.append((name, c, r, r["p95"] / baseline[c]))
        print(benchlib.load_average())
        heads = ("p50 ms", "p95 ms", "p99 ms", "req/s", "errors", "p95/static")
        print(f"{'case':<7} {'conc':>4} " + " ".join(f"{h:>10}" for h in heads))
        for name, c, r, ratio in rows:
            cells = (r["p50"] / 1000, r["p95"] / 1000, r["p99"] / 1000, r["rps"])
            errors = r["errors"] + r["non2xx"]
            print(
                f"{name:<7} {c:>4} "
                + " ".join(f"{x:>10.1f}" for x in cells)
                + f" {errors:>10} {ratio:>10.1f}"
            )
        for name in ("page", "api"):
            at50 = [r for n, c, r, _ in rows if n == name and c == 50]
            if at50:
                p95 = at50[0]["p95"] / 1000
                verdict = "met" if p95 < 200 and not at50[0]["non2xx"] else "NOT met"
                print(f"target {name} p95 < 200 ms at 50 concurrent: {p95:.1f} ms — {verdict}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
