"""Accessibility checkers for the tests: the W3C Nu HTML validator (vnu-jar) and axe-core.

Both come from npm with the versions pinned in ``package.json`` / ``package-lock.json``
(``npm ci``; ``make test`` and ``.ci/run`` install them). :func:`node_tool` installs them on
first use when ``node_modules`` is missing, and skips the test with one line only when Java or
npm is not installed at all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core impact levels that fail a page (moderate and minor are reported, not failed).
FAILING_IMPACTS = {"serious", "critical"}


def node_tool(path: Path, needs_java: bool = False) -> Path:
    """``path`` inside node_modules, running ``npm ci`` first when it is missing."""
    if needs_java and not shutil.which("java"):
        pytest.skip("Java not installed: the W3C Nu validator (vnu-jar) needs it")
    if not path.exists():
        if not shutil.which("npm"):
            pytest.skip("npm not installed: cannot install vnu-jar/axe-core from package-lock.json")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, capture_output=True)
    return path


def vnu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Validate HTML documents (``{name: html}``) with one vnu run; returns ``{name: [errors]}``
    (every name present, an empty list when valid). Each error reads ``line N: message``."""
    jar = node_tool(VNU_JAR, needs_java=True)
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(tmp) / f"{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        result = subprocess.run(
            [
                "java",
                "-jar",
                str(jar),
                "--errors-only",
                "--format",
                "json",
                *[str(Path(tmp) / p) for p in sorted(p.name for p in Path(tmp).iterdir())],
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "?")
        name = files.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message.get('message')}")
    return errors


def axe_violations(page) -> list[dict]:
    """Run axe-core in a Playwright ``page`` (its context needs ``bypass_csp=True``: the script is
    injected inline); returns the serious and critical violations as
    ``{"id", "impact", "help", "targets"}``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(node_tool(AXE_JS)))
    result = page.evaluate(
        """async () => {
            const r = await window.axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in FAILING_IMPACTS]
