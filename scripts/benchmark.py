#!/usr/bin/env python
"""Benchmark Comptoir on a production-like stack and print one table (not a test: figures
depend on the machine; the README quotes a run).

The stack: PostgreSQL, Redis, gunicorn (``--workers``, sync), ``config.settings.production``
(plus a baseline URL, ``scripts/bench_settings.py``), static files collected and served by
WhiteNoise. Two gunicorn instances run side by side: one with the full-page cache
(``PAGE_CACHE_SECONDS=3600``, the default) and one without (``PAGE_CACHE_SECONDS=0``: every
request renders, as for signed-in customers and cache misses).

What it measures, for home, product, course, teacher, blog post, listing, search and cart:
    - requests/second with wrk (``wrk -t2 -c<connections> -d<seconds>s``) with and without the
      page cache, and the ratio to the baseline ``HttpResponse("ok")`` view of the same stack;
    - SQL queries and Redis round trips of one warm request, through Django's test client in
      this process with the same settings (a hit for the cached column);
    - the gzipped HTML size; the total transfer of the home page on a phone (HTML + CSS + JS +
      fonts + the images it loads eagerly);
    - cached home throughput while ``--orders-per-second`` orders are paid (``mark_paid``);
    - then ``--products`` more products are added (10,000 by default) and listing and search
      are measured again.

Usage (Debian: ``apt-get install wrk postgresql redis-server``)::

    .venv/bin/python scripts/benchmark.py
    .venv/bin/python scripts/benchmark.py --seconds 5 --products 2000 \\
        --database-url postgres://postgres:postgres@127.0.0.1:5432/comptoir_bench \\
        --redis-url redis://127.0.0.1:6379/12

The database is dropped and created again (``migrate`` + ``load_demo``) on each run.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from secrets import token_urlsafe

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_measure as measure


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgres://postgres:postgres@127.0.0.1:5432/comptoir_bench")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    p.add_argument("--seconds", type=int, default=10, help="wrk duration per page and mode (default 10)")
    p.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance (default 2)")
    p.add_argument("--products", type=int, default=10000, help="products added for the large run (0: skip)")
    p.add_argument("--orders-per-second", type=float, default=2.0)
    p.add_argument("--skip-build", action="store_true", help="reuse the database as it is")
    return p.parse_args()


def environment(args, tmp: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "STRIPE_SECRET_KEY": "sk_test_benchmark",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_benchmark",
        "STRIPE_WEBHOOK_SECRET": "whsec_benchmark",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "LOG_LEVEL": "ERROR",
        "CONN_MAX_AGE": "60",
    }
    env.pop("STRIPE_API_BASE", None)
    return env


def manage(env, settings, *command):
    subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": settings}, check=True
    )


def create_database(url):
    """Drop and create the benchmark database (a clean demo each run)."""
    import psycopg2

    parts = re.match(r"postgres(?:ql)?://([^:]+):([^@]+)@([^:/]+):?(\d*)/(\w+)", url)
    if not parts:
        raise SystemExit(f"--database-url must be postgres://user:password@host:port/name, not {url}")
    user, password, host, port, name = parts.groups()
    conn = psycopg2.connect(dbname="postgres", user=user, password=password, host=host, port=port or 5432)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def build(args, env):
    create_database(args.database_url)
    print("building the demo (new database, migrate, load_demo, collectstatic)...", file=sys.stderr)
    manage(env, "config.settings.dev", "migrate", "--noinput", "-v0")
    manage(env, "config.settings.dev", "load_demo")
    manage(env, "config.settings.base", "collectstatic", "--noinput", "-v0")


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="comptoir-bench-"))
    env = environment(args, tmp)
    if not args.skip_build:
        build(args, env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "scripts.bench_settings"
    import django

    django.setup()
    rows, notes = [], []
    servers = {}
    try:
        measure.flush_redis()
        servers["cached"] = measure.start_gunicorn(env, args.workers, page_cache=True)
        servers["uncached"] = measure.start_gunicorn(env, args.workers, page_cache=False)
        pages = measure.find_pages()
        rows += measure.measure_all(pages, servers, args, size="demo")
        notes.append(measure.phone_transfer(pages["Home"]))
        notes.append(measure.orders_while_cached(servers["cached"], args))
        if args.products:
            print(f"adding {args.products} products...", file=sys.stderr)
            measure.add_products(args.products)
            measure.flush_redis()
            large = {k: v for k, v in pages.items() if k in ("Listing", "Search", "Baseline")}
            rows += measure.measure_all(large, servers, args, size=f"+{args.products} products")
            measure.remove_products()
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    measure.print_table(rows, notes, args)


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"\n(benchmark took {time.monotonic() - started:.0f} s)", file=sys.stderr)
