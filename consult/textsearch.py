"""Vietnamese text folded for search and compared for similarity.

Vietnamese words are written as syllables separated by spaces, so syllables and pairs of
neighbouring syllables are good units for both. Folding removes diacritics (and đ → d),
so that "quy hoach" finds "quy hoạch".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from math import sqrt

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower-case ``text`` without diacritics; đ/Đ become d."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def syllables(text: str | None) -> list[str]:
    return _WORD.findall(fold(text))


# Frequent function syllables carry no meaning for similarity.
STOP = frozenset(
    [
        "va",
        "cua",
        "cac",
        "nhung",
        "la",
        "co",
        "cho",
        "de",
        "trong",
        "voi",
        "duoc",
        "tai",
        "theo",
        "tu",
        "mot",
        "nay",
        "do",
        "ve",
        "khi",
        "den",
        "thi",
        "nhu",
        "tren",
        "da",
        "se",
        "can",
        "phai",
        "nen",
        "hon",
        "hoac",
        "cung",
        "khong",
    ]
)


def features(text: str | None, *, folded: bool = False) -> Counter:
    """Syllables and neighbouring pairs (the pairs weigh double: they make Vietnamese words).

    ``folded``: ``text`` is folded already (a comment's search text), which saves a third.
    """
    words = _WORD.findall(text or "") if folded else syllables(text)
    counts = Counter(w for w in words if w not in STOP and len(w) > 1)
    for a, b in zip(words, words[1:], strict=False):
        if a not in STOP or b not in STOP:
            counts[f"{a}_{b}"] += 2
    return counts


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    return dot / (sqrt(sum(v * v for v in a.values())) * sqrt(sum(v * v for v in b.values())))


def like_pattern(query: str) -> str:
    """A LIKE pattern matching the folded query anywhere, with LIKE wildcards escaped."""
    folded = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"
