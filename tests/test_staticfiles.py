"""Production static files: ``collectstatic`` with the production settings writes hashed,
compressed copies (WhiteNoise's CompressedManifestStaticFilesStorage) and pages link the hashed
name, so browsers may cache them forever.

Runs in a subprocess with the production environment and a temporary STATIC_ROOT: nothing is
written into the repository.
"""

import importlib.util
import json
import re

import pytest

from tests.settings_probe import PRODUCTION_ENV, manage

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Run ``collectstatic --noinput`` once; yield (STATIC_ROOT, environment used)."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(root)}
    result = manage("collectstatic", "--noinput", "--settings=config.settings.production", env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return root, env


def test_collectstatic_writes_hashed_and_compressed_site_css(collected):
    root, _ = collected
    manifest = json.loads((root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    css = root / hashed
    assert css.is_file()
    assert (root / (hashed + ".gz")).is_file()
    if importlib.util.find_spec("brotli"):  # WhiteNoise adds .br only when Brotli is installed
        assert (root / (hashed + ".br")).is_file()
    # Font references inside the stylesheet point at the hashed font files, which exist.
    fonts = re.findall(r'url\("(\.\./fonts/[^"]+)"\)', css.read_text())
    assert fonts
    for ref in fonts:
        assert re.search(r"\.[0-9a-f]{12}\.woff2$", ref), ref
        assert (root / "css" / ref).resolve().is_file(), ref


def test_production_pages_link_the_hashed_stylesheet(collected):
    root, env = collected
    result = manage(
        "shell",
        "-c",
        "from django.templatetags.static import static; print(static('css/site.css'))",
        "--settings=config.settings.production",
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    url = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)
    assert (root / url.removeprefix("/static/")).is_file()
