"""Open many random share links against a running app and count those that show an exception.

Each link is opened by a new browserless session over Streamlit's own websocket protocol (the
client of tests/load.py), as a reader opening a shared link would. The links mix every
parameter of the contract, unknown ones, repeated ones, any Unicode, huge numbers, digits that
are not ASCII, markup and empty values, on all four pages.

    .venv/bin/python scripts/fuzz_links.py --links 1000            # starts its own app
    .venv/bin/python scripts/fuzz_links.py --url http://127.0.0.1:8501

Prints the count of links, of exceptions and of other failures, and the first bad links.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.load import Link, Session, start_server

PAGES = ("", "map", "timeline", "story", "sources")
NAMES = ("date", "layers", "feature", "view", "stop", "embed", "x", "Date", "")
PIECES = (
    "1946-06", "1946-13", "all", "none", "occupation,crisis", "modern", "tabriz",
    "republic-of-mahabad", "36.8,46.0,7", "35,51,14", "99", "0", "-1", "①", "²", "٣",
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "'\"", "%00", "\u202e", "مهاباد",
    "Тегеран", "🗺️", " ", "",
)  # fmt: skip


def random_text(rng: random.Random) -> str:
    """A value: a known piece, random Unicode, or a number past int()'s digit limit."""
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(PIECES)
    if roll < 0.8:  # Latin, Arabic, Cyrillic and emoji blocks
        blocks = ((32, 0x2FF), (0x600, 0x6FF), (0x400, 0x4FF), (0x1F300, 0x1F5FF))
        return "".join(chr(rng.randrange(*rng.choice(blocks))) for _ in range(rng.randrange(0, 30)))
    return "".join(rng.choice("0123456789") for _ in range(rng.randrange(4000, 6000)))


def random_link(rng: random.Random) -> Link:
    """A page and a query of 0 to 5 parameters, some repeated."""
    params = [(rng.choice(NAMES), random_text(rng)) for _ in range(rng.randrange(0, 6))]
    return Link(rng.choice(PAGES), urlencode(params))


async def open_link(base: str, link: Link) -> str | None:
    """Open one link in a new session; the error it showed, if any."""
    session = Session(base)
    try:
        await session.open(link)
        run = await session.run(link, first=True)
        return run.error
    except Exception as exc:
        return f"failed: {type(exc).__name__}"
    finally:
        await session.close()


async def fuzz(base: str, count: int, seed: int, parallel: int) -> int:
    rng = random.Random(seed)
    links = [random_link(rng) for _ in range(count)]
    results: list[tuple[Link, str | None]] = []
    gate = asyncio.Semaphore(parallel)

    async def one(link: Link) -> None:
        async with gate:
            results.append((link, await open_link(base, link)))

    await asyncio.gather(*(one(link) for link in links))
    bad = [(link, error) for link, error in results if error]
    exceptions = sum(1 for _, error in bad if error == "exception")
    print(f"{len(results)} links opened; {exceptions} showed an exception; "
          f"{len(bad) - exceptions} other failures")  # fmt: skip
    for link, error in bad[:10]:
        print(f"  {error}: /{link.page}?{link.query[:120]}")
    return 1 if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1946)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--url", help="a running app (default: start one)")
    opts = parser.parse_args()
    proc = None
    base = opts.url
    if not base:
        proc, base = start_server("streamlit_app.py", [])
    try:
        sys.exit(asyncio.run(fuzz(base, opts.links, opts.seed, opts.parallel)))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
