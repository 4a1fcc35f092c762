"""The measuring half of ``scripts/benchmark.py`` (Django is set up by the time it is called)."""

import gzip
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The issue's reference: Wagtail's bakerydemo home on the same kind of machine and stack.
BAKERYDEMO_RPS = 54.3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flush_redis() -> None:
    """Empty the benchmark's Redis database (the cache of a fresh deploy)."""
    from django.core.cache import cache

    cache.clear()


def start_gunicorn(env, workers: int, *, page_cache: bool):
    """gunicorn on a free port with the benchmark settings; returns the process (``.base`` URL)."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "scripts.bench_settings",
        "PAGE_CACHE_SECONDS": "3600" if page_cache else "0",
    }
    proc = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "sync"],
        cwd=ROOT,
        env=proc_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    proc.base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(proc.base + "/__bench__/ok", timeout=5).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode()[-3000:]) from None
            time.sleep(0.5)


def find_pages() -> dict[str, str]:
    """Label → URL of each measured page of the demo."""
    from home.models import BlogPage
    from learning.models import CoursePage, TeacherPage
    from shop.catalogue.pages import ProductIndexPage, ProductPage

    return {
        "Baseline": "/__bench__/ok",
        "Home": "/",
        "Product": ProductPage.objects.live().order_by("path").first().url,
        "Course": CoursePage.objects.live().order_by("path").first().url,
        "Teacher": TeacherPage.objects.live().order_by("path").first().url,
        "Blog post": BlogPage.objects.live().order_by("path").first().url,
        "Listing": ProductIndexPage.objects.live().first().url,
        "Search": "/search/?q=macaron",
        "Cart": "/shop/cart/",
    }


@contextmanager
def redis_round_trips():
    """Count the Redis commands (pipelines count once) sent inside the block: ``box[0]``."""
    from redis.connection import AbstractConnection

    box = [0]
    original = AbstractConnection.send_packed_command

    def counting(self, *args, **kwargs):
        box[0] += 1
        return original(self, *args, **kwargs)

    AbstractConnection.send_packed_command = counting
    try:
        yield box
    finally:
        AbstractConnection.send_packed_command = original


def in_process(url: str, *, cached: bool) -> dict:
    """Queries, Redis round trips and gzipped size of one warm request (a hit when ``cached``)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(PAGE_CACHE_SECONDS=3600 if cached else 0):
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        for _ in range(2):
            client.get(url)
        with CaptureQueriesContext(connection) as queries, redis_round_trips() as trips:
            response = client.get(url)
    body = response.content
    size = len(body) if response.get("Content-Encoding") == "gzip" else len(gzip.compress(body))
    return {
        "status": response.status_code,
        "queries": len(queries.captured_queries),
        "redis": trips[0],
        "gzip": size,
        "page_cache": response.get("X-Page-Cache", "-"),
    }


def wrk(base: str, url: str, seconds: float, connections: int) -> float:
    """Requests/second for ``seconds`` of ``wrk -t2 -c<connections>`` (0 when errors dominate)."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-H", "Accept-Encoding: gzip", base + url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    if bad and total and int(bad.group(1)) > int(total.group(1)) // 10:
        print(f"warning: {url}: {bad.group(1)} of {total.group(1)} non-2xx answers", file=sys.stderr)
    return rps


def measure_all(pages: dict, servers: dict, args, *, size: str) -> list[dict]:
    """One row per page: wrk with and without the page cache, plus in-process counts."""
    rows = []
    baseline = {mode: wrk(servers[mode].base, pages["Baseline"], args.seconds, args.connections) for mode in servers}
    for label, url in pages.items():
        if label == "Baseline":
            rows.append(
                {
                    "label": 'HttpResponse("ok")',
                    "size": size,
                    "url": url,
                    "baseline": baseline,
                    **{
                        "cached": baseline["cached"],
                        "uncached": baseline["uncached"],
                        "hit": in_process(url, cached=True),
                        "miss": in_process(url, cached=False),
                    },
                }
            )
            continue
        print(f"measuring {label} ({size})...", file=sys.stderr)
        row = {"label": label, "size": size, "url": url, "baseline": baseline}
        row["hit"] = in_process(url, cached=True)
        row["miss"] = in_process(url, cached=False)
        row["cached"] = wrk(servers["cached"].base, url, args.seconds, args.connections)
        row["uncached"] = wrk(servers["uncached"].base, url, args.seconds, args.connections)
        rows.append(row)
    return rows


def phone_transfer(home_url: str) -> str:
    """Bytes a phone downloads for the home page: gzipped HTML, CSS, JS (WhiteNoise's gzip
    files), preloaded fonts and the images loaded eagerly (``<img>`` without
    ``loading="lazy"``; their files' sizes on disk, as the web server or S3 sends them)."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    response = client.get(home_url)
    gzipped = response.get("Content-Encoding") == "gzip"
    html = gzip.decompress(response.content).decode() if gzipped else response.content.decode()
    sizes = {"HTML": len(response.content), "CSS/JS/fonts": 0, "images": 0}
    assets = re.findall(r'<link rel="(?:stylesheet|preload)" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    images = [src for tag, src in re.findall(r'(<img\b[^>]*\bsrc="([^"]+)")', html) if 'loading="lazy"' not in tag]
    for url in dict.fromkeys(a.replace("&amp;", "&") for a in assets):
        if url.startswith("/"):
            asset = client.get(url)
            body = b"".join(asset.streaming_content) if asset.streaming else asset.content
            sizes["CSS/JS/fonts"] += len(body)
    for url in dict.fromkeys(images):
        if url.startswith(settings.MEDIA_URL):
            path = Path(settings.MEDIA_ROOT) / url[len(settings.MEDIA_URL) :]
            sizes["images"] += path.stat().st_size if path.exists() else 0
    total = sum(sizes.values())
    parts = ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in sizes.items())
    return f"Home page on a phone: {total / 1024:.0f} KB transferred ({parts}; lazy images not counted)."


def orders_while_cached(server, args) -> str:
    """Cached home throughput alone, then while orders are paid at ``--orders-per-second``."""
    from shop.catalogue.models import ProductVariant, shop_config
    from shop.models.orders import Order, OrderLine
    from shop.payments.lifecycle import mark_paid

    variant = ProductVariant.objects.filter(active=True).select_related("product").first()
    ProductVariant.objects.filter(pk=variant.pk).update(stock=None)
    quiet = wrk(server.base, "/", args.seconds, args.connections)
    stop, paid = threading.Event(), [0]

    def pay():
        while not stop.is_set():
            order = Order.objects.create(email="bench@example.com", name="Bench", currency=shop_config().currency)
            OrderLine.objects.create(
                order=order,
                purchasable_kind="variant",
                purchasable_key=str(variant.pk),
                title=str(variant),
                unit_price=variant.price,
                quantity=1,
            )
            order.subtotal = order.total = variant.price
            order.save(update_fields=["subtotal", "total"])
            mark_paid(order)
            paid[0] += 1
            stop.wait(1 / args.orders_per_second)

    thread = threading.Thread(target=pay)
    thread.start()
    busy = wrk(server.base, "/", args.seconds, args.connections)
    stop.set()
    thread.join()
    drop = (1 - busy / quiet) * 100 if quiet else 0
    return (
        f"Cached home while orders are paid: {quiet:.0f} req/s alone, {busy:.0f} req/s with "
        f"{paid[0] / args.seconds:.1f} orders/s paid ({drop:+.1f} % drop)."
    )


def add_products(count: int) -> None:
    """Add ``count`` live products (one variant each) under the listing, then index them."""
    from django.core.management import call_command

    from shop.catalogue.models import ProductVariant
    from shop.catalogue.pages import ProductIndexPage, ProductPage

    parent = ProductIndexPage.objects.live().first()
    started = time.monotonic()
    for i in range(count):
        page = parent.add_child(instance=ProductPage(title=f"Bench tart {i}", slug=f"bench-tart-{i}", intro="Sweet."))
        ProductVariant.objects.create(product=page, name="One", sku=f"BENCH-{i}", price=500 + i % 900)
        if i and i % 1000 == 0:
            print(f"  {i} products ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    call_command("update_index", verbosity=0)


def remove_products() -> None:
    """Nothing to do: the next run rebuilds the database."""


def print_table(rows, notes, args) -> None:
    from django.db import connection

    print(
        "| page | catalogue | req/s, page cache | × ok | req/s, no page cache | × ok | × bakerydemo "
        "| queries hit / miss | Redis hit / miss | HTML gzip KB |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        base = r["baseline"]
        print(
            f"| {r['label']} | {r['size']} | {r['cached']:.0f} | {r['cached'] / base['cached']:.2f} "
            f"| {r['uncached']:.0f} | {r['uncached'] / base['uncached']:.2f} | {r['uncached'] / BAKERYDEMO_RPS:.1f} "
            f"| {r['hit']['queries']} / {r['miss']['queries']} | {r['hit']['redis']} / {r['miss']['redis']} "
            f"| {r['miss']['gzip'] / 1024:.1f} |"
        )
    print()
    for note in notes:
        print(f"- {note}")
    print(
        f"\ngunicorn {args.workers} sync workers per instance, wrk -t2 -c{args.connections} -d{args.seconds}s; "
        f"{connection.vendor}; Redis; {os.cpu_count()} CPUs; bakerydemo home = {BAKERYDEMO_RPS} req/s (the "
        "issue's figure on the same kind of machine, not re-measured here)."
    )
