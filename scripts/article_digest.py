"""Write tests/data/article_grams.txt: a digest of the seed article's ten-word runs.

The project grew from an article that contains errors and must not be copied. The test
`tests/test_geodata.py::test_no_sentence_is_copied_from_the_article` compares the project's texts
with this digest, so it runs from the repository alone; the article itself stays outside.
Run it again when the article changes: python scripts/article_digest.py ../shared/seed/article.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

DIGEST = Path(__file__).resolve().parent.parent / "tests" / "data" / "article_grams.txt"
RUN = 10


def words(text: str) -> list[str]:
    """Lower-case words and numbers, as the comparison sees them."""
    return re.findall(r"[a-z0-9]+", text.lower())


def gram_digests(text: str) -> set[str]:
    """A short digest of every run of RUN words (the runs themselves are not kept)."""
    found = words(text)
    return {
        hashlib.sha256(" ".join(found[i : i + RUN]).encode()).hexdigest()[:16]
        for i in range(len(found) - RUN + 1)
    }


def main(article: str) -> None:
    digests = sorted(gram_digests(Path(article).read_text(encoding="utf-8", errors="ignore")))
    DIGEST.parent.mkdir(exist_ok=True)
    DIGEST.write_text("\n".join(digests) + "\n", encoding="utf-8")
    print(f"wrote {len(digests)} digests to {DIGEST}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/seed/article.txt")
