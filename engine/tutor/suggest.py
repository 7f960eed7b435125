"""'Did you mean …?' with bounded work, however many candidates and questions there are.

`difflib.get_close_matches` compares a word with every candidate. The lint asked it once per
broken link over every heading of the target page, so 98 KB of links to missing anchors
took 179 s (links × headings comparisons). A `SuggestionIndex` is built once per list of
candidates (the headings of one page, the slugs of a set) and

- keeps the candidates under their three-character pieces, and compares a word only with
  the few candidates that share the most pieces with it (reading the word's rarest pieces
  first, `READS` index entries at most);
- remembers each answer;
- stops suggesting after `BUDGET` comparisons: a suggestion is a nicety, the lint's time is not.

Short lists (up to `SHORTLIST_ALL` candidates) are compared in full, exactly as before.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

CUTOFF = 0.6
MAX_WORD = 100
"""Longer words (and candidates) get no suggestion: difflib's cost grows with the product of the lengths."""
SHORTLIST_ALL = 32
SHORTLIST = 5
READS = 1024
"""Index entries one word reads at most."""
BUDGET = 20_000
"""difflib comparisons one index makes in all (4,000 words with a shortlist): far more than a
page's real typos, and a few seconds at most."""


def _pieces(word: str) -> list[str]:
    padded = f"\x02{word}\x03"
    return list(dict.fromkeys(padded[i: i + 3] for i in range(len(padded) - 2)))


class SuggestionIndex:
    def __init__(self, candidates: Iterable[str]) -> None:
        self.candidates = [c for c in dict.fromkeys(candidates) if len(c) <= MAX_WORD]
        self._postings: dict[str, list[int]] | None = None
        self._answers: dict[str, str | None] = {}
        self.comparisons = 0
        """Candidates compared with difflib, in all: the work done (each word also reads at most
        `READS` index entries)."""

    def closest(self, word: str) -> str | None:
        """The candidate closest to `word` (difflib's ratio ≥ 0.6), or None."""
        if word in self._answers:
            return self._answers[word]
        answer = None
        if 0 < len(word) <= MAX_WORD and self.comparisons < BUDGET:
            shortlist = self.candidates if len(self.candidates) <= SHORTLIST_ALL else self._shortlist(word)
            self.comparisons += len(shortlist)
            close = difflib.get_close_matches(word, shortlist, n=1, cutoff=CUTOFF)
            answer = close[0] if close else None
        self._answers[word] = answer
        return answer

    def did_you_mean(self, word: str) -> str:
        """' (did you mean `x`?)', or '' when nothing is close."""
        close = self.closest(word)
        return f" (did you mean `{close}`?)" if close else ""

    def _shortlist(self, word: str) -> list[str]:
        if self._postings is None:
            self._postings = {}
            for number, candidate in enumerate(self.candidates):
                for piece in _pieces(candidate):
                    self._postings.setdefault(piece, []).append(number)
        postings = sorted((self._postings.get(piece, []) for piece in _pieces(word)), key=len)
        shared: Counter[int] = Counter()
        allowance = READS
        for posting in postings:  # the rarest pieces first: they tell the candidates apart
            if allowance <= 0:
                break
            shared.update(posting[:allowance])
            allowance -= len(posting)
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:SHORTLIST]
        return [self.candidates[number] for number, _ in best]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean `x`?)' for a one-off question; ask a `SuggestionIndex` for many."""
    return SuggestionIndex(candidates).did_you_mean(word)
