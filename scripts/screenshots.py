"""Screenshots of every page at 1280×720 (projector), 390×844 (phone) and in presenter mode.

    python -m scripts.screenshots [--out assets/screenshots] [--pages home taylor ...] [--kinds present]
    python -m scripts.screenshots --pages home --kinds projector --query "schedule=cosine" --tag cosine

Starts the app on a free port, opens each page in Debian's Chromium, waits for
its charts, and writes <page>-projector.png, <page>-phone.png,
<page>-present.png (1280×720 opened with ``?present=1``) and, in Korean
(``?lang=ko``), <page>-ko-projector.png, <page>-ko-phone.png and <page>-ko-present.png. ``--query`` opens
every page with that link's settings too, and ``--tag`` names those files <page>-<tag>-<kind>.png. Run it from the
repository root; the pages are ``ui.registry.PAGES``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.server import PAGE_KEYS, ROOT, launch_chromium, page_url, streamlit_server, wait_for_page

PAGES = list(PAGE_KEYS)
VIEWPORTS = {"projector": (1280, 720, ""), "phone": (390, 844, ""), "present": (1280, 720, "present=1"),
             "ko-projector": (1280, 720, "lang=ko"), "ko-phone": (390, 844, "lang=ko"),
             "ko-present": (1280, 720, "present=1&lang=ko")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "assets" / "screenshots"))
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--full", action="store_true", help="capture the whole scrolling page")
    parser.add_argument("--kinds", nargs="*", default=list(VIEWPORTS), choices=list(VIEWPORTS))
    parser.add_argument("--query", default="", help="settings for every page, as in a link: kappa=100&lr=0.02")
    parser.add_argument("--tag", default="", help="a name for those settings in the file names")
    parser.add_argument("--height", type=int, help="another window height (the README's taller shots)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with streamlit_server() as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        for kind in args.kinds:
            w, h, query = VIEWPORTS[kind]
            h = args.height or h
            context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1)
            page = context.new_page()
            for name in args.pages:
                page.goto(page_url(base, name, "&".join(q for q in (query, args.query) if q)))
                wait_for_page(page)
                path = out / ("-".join(part for part in (name, args.tag, kind) if part) + ".png")
                page.screenshot(path=str(path), full_page=args.full)
                print(path)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
