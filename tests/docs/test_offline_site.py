"""The built documentation site works from disk (``file://``) with no network: search included.

The site is the one ``make test`` has just built (``ECOMPERF_SITE=site``); run alone, the module builds
its own copy first (about 10 s).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.docs._common import REPO
from tests.browser import BINARY, SKIP_REASON, Chromium

# Anything a page fetches by itself (scripts, styles, images, frames, preloads), not links a reader follows.
_FETCHED = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//"
    r"|<link\b(?=[^>]*\brel\s*=\s*[\"']?(?:stylesheet|preload|modulepreload|prefetch|icon|manifest))[^>]*"
    r"\bhref\s*=\s*[\"']?(?:https?:)?//"
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    built = os.environ.get("ECOMPERF_SITE")
    if built:
        yield (REPO / built).resolve()
        return
    folder = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(folder)],
        cwd=REPO, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600,
    )
    yield folder


def test_no_page_fetches_anything_from_the_network(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    offenders = {
        str(page.relative_to(site)): match.group(0)
        for page in pages
        for match in [_FETCHED.search(page.read_text(encoding="utf-8"))]
        if match
    }
    assert offenders == {}


def test_the_search_shim_is_served_from_the_site_itself(site: Path) -> None:
    assert (site / "assets" / "javascripts" / "iframe-worker" / "shim.js").is_file()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/javascripts/iframe-worker/shim.js"></script>' in index
    assert "unpkg.com" not in index
    assert (site / "search" / "search_index.js").is_file()  # the index inlined for file://, by the offline plugin


# The theme's bundle loads two things from a CDN, each only when needed: a ResizeObserver polyfill for
# browsers without one (every current browser has it) and Mermaid for pages with a diagram (none here).
_CONDITIONAL = {"https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js"}


def test_scripts_and_styles_reach_out_only_for_what_no_page_needs(site: Path) -> None:
    fetched = set()
    for asset in [*site.rglob("*.css"), *site.rglob("*.js")]:
        text = asset.read_text(encoding="utf-8", errors="replace")
        fetched.update(re.findall(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net)/[\w@./-]+", text))
    assert fetched <= _CONDITIONAL
    assert not any('class="mermaid"' in page.read_text(encoding="utf-8") for page in site.rglob("*.html"))


_TYPE = """(() => {
  const box = document.querySelector("input[data-md-component=search-query]");
  box.focus();
  box.value = %s;
  box.dispatchEvent(new Event("input", {bubbles: true}));
  box.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: "Enter"}));
})()"""


@pytest.mark.skipif(BINARY is None, reason=SKIP_REASON)
def test_searching_for_店长_from_disk_with_the_network_off_finds_the_store_manager(site: Path) -> None:
    with Chromium(timeout=60) as browser:
        page = browser.open((site / "index.html").as_uri(), offline=True)
        browser.wait_for(page, "document.querySelector('input[data-md-component=search-query]') !== null")
        browser.evaluate(page, _TYPE % '"店长"')
        browser.wait_for(page, "document.querySelectorAll('.md-search-result__item').length > 0")
        meta = browser.evaluate(page, "document.querySelector('.md-search-result__meta').textContent")
        links = browser.evaluate(
            page, "[...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)"
        )
    assert re.search(r"\d+ matching documents?", meta), meta
    assert all(link.startswith("file://") for link in links)
    assert any("store_manager" in link for link in links)
