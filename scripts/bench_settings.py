"""Settings of the benchmark stack (``scripts/benchmark.py``): production settings plus one
baseline URL, ``/__bench__/ok``, answering ``HttpResponse("ok")`` through the same middleware."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "scripts.bench_urls"
