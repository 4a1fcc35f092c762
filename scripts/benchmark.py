#!/usr/bin/env python
"""Measure how cheap Comptoir's main pages are: SQL queries per warm request and requests/second.

Not a test: numbers depend on the machine. The README quotes a run of it.

What it does
    1. Builds the Petit Four demo (``migrate`` + ``load_demo``) in a throw-away SQLite database
       under a temporary directory, unless ``--database-url`` (or ``DATABASE_URL``) names one —
       then that database is migrated and the demo loaded into it (idempotent).
    2. For the home page, the product listing, a product page, a course page and the blog
       index: warms the page up, counts the SQL queries of one warm request
       (``CaptureQueriesContext``) and times ``--requests`` sequential requests through
       Django's test client (no network, one process).
    3. With ``--gunicorn-seconds S`` (> 0) it also starts gunicorn on a free 127.0.0.1 port
       (``--workers``) and hammers each page with a loop of urllib requests for S seconds per
       page from ``--concurrency`` threads, reporting requests/second and the median latency.
    Pages whose type does not exist yet, or that answer other than 200, are skipped with a note.

Usage
    .venv/bin/python scripts/benchmark.py                       # temp SQLite, test client only
    .venv/bin/python scripts/benchmark.py --requests 500 --gunicorn-seconds 10 --workers 2
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/comptoir_bench \\
        .venv/bin/python scripts/benchmark.py --gunicorn-seconds 10

Settings: ``config.settings.dev`` with ``DEBUG=false`` (templates cached, no debug toolbar
overhead), memory cache, media in the temporary directory. Output: a Markdown table on stdout.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, app_label.ModelName or None for the site root)
PAGES = [
    ("Home page", None),
    ("Product listing", "shop.ProductIndexPage"),
    ("Product page", "shop.ProductPage"),
    ("Course page", "learning.CoursePage"),
    ("Blog index", "home.BlogIndexPage"),
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=200, help="test-client requests per page (default 200)")
    p.add_argument(
        "--gunicorn-seconds", type=float, default=0, help="seconds of HTTP load per page via gunicorn (0: skip)"
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    p.add_argument("--concurrency", type=int, default=4, help="client threads for the gunicorn run (default 4)")
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: a temporary SQLite file")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (prints its path)")
    return p.parse_args()


def configure_environment(args, tmp):
    """Environment for this process and for gunicorn, set before Django is imported."""
    from secrets import token_urlsafe

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECRET_KEY"] = token_urlsafe(50)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["PRIVATE_MEDIA_ROOT"] = str(tmp / "private")
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))


def build_demo():
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    try:
        call_command("load_demo", stdout=open(os.devnull, "w"))
    except Exception as exc:  # report and carry on: some pages may still exist
        print(f"note: load_demo failed ({type(exc).__name__}: {exc}); measuring what exists", file=sys.stderr)


def find_urls():
    """[(label, url or None, note)] for the pages to measure."""
    from django.apps import apps
    from wagtail.models import Page, Site

    found = []
    for label, model_path in PAGES:
        if model_path is None:
            site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            found.append((label, "/" if site else None, "" if site else "no default site"))
            continue
        try:
            model = apps.get_model(model_path)
        except LookupError:
            found.append((label, None, f"{model_path} does not exist yet"))
            continue
        page = Page.objects.type(model).live().public().first()
        if page is None:
            found.append((label, None, f"no live {model_path} in the demo"))
            continue
        found.append((label, page.get_url(), ""))
    return found


def measure_test_client(url, n):
    """(status, queries on a warm request, requests/second over n requests)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(3):
        response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None, None
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)
    start = time.perf_counter()
    for _ in range(n):
        client.get(url)
    return 200, queries, n / (time.perf_counter() - start)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(workers):
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    proc = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited: " + proc.stderr.read().decode()[-2000:])
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return proc, base
        except urllib.error.HTTPError:
            return proc, base  # it answers; the status is checked per page
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not answer within 30 s")


def measure_http(base, url, seconds, concurrency):
    """(requests/second, median latency in ms, error count) for `seconds` of load."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(base + url, timeout=10) as r:
                    r.read()
                ok = r.status == 200
            except OSError:
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(dt)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    median = statistics.median(latencies) * 1000 if latencies else float("nan")
    return len(latencies) / elapsed, median, errors[0]


def main():
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="comptoir-bench-"))
    configure_environment(args, tmp)
    import django

    django.setup()
    from django.db import connection

    try:
        print(
            f"Building the demo in {connection.vendor} ({'given' if args.database_url else 'temporary'} database)...",
            file=sys.stderr,
        )
        build_demo()
        pages = find_urls()

        rows, notes = [], []
        for label, url, note in pages:
            if url is None:
                notes.append(f"{label}: skipped, {note}")
                continue
            status, queries, rps = measure_test_client(url, args.requests)
            if status != 200:
                notes.append(f"{label} ({url}): skipped, answered {status}")
                continue
            rows.append({"label": label, "url": url, "queries": queries, "rps": rps})

        if args.gunicorn_seconds > 0 and rows:
            proc, base = start_gunicorn(args.workers)
            try:
                for row in rows:
                    row["http"] = measure_http(base, row["url"], args.gunicorn_seconds, args.concurrency)
            finally:
                proc.terminate()
                proc.wait(timeout=10)

        header = "| Page | URL | SQL queries (warm) | req/s (test client) |"
        rule = "| --- | --- | ---: | ---: |"
        if args.gunicorn_seconds > 0:
            header += f" req/s (gunicorn, {args.workers} workers, {args.concurrency} clients) | median ms | errors |"
            rule += " ---: | ---: | ---: |"
        print(header)
        print(rule)
        for row in rows:
            line = f"| {row['label']} | `{row['url']}` | {row['queries']} | {row['rps']:.0f} |"
            if "http" in row:
                rps, median, errors = row["http"]
                line += f" {rps:.0f} | {median:.1f} | {errors} |"
            print(line)
        for note in notes:
            print(f"\n- {note}", end="")
        print(
            f"\n\n{args.requests} test-client requests per page; database: {connection.vendor}; "
            f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs."
        )
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
