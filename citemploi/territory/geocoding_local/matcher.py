"""The ladder of the local geocoder: commune → street → house number, each step scored.

1. **Commune hypotheses**: the communes of the postcode, and the communes whose name (or a variant: without
   « Saint- », without the article, hyphens or spaces anywhere) matches the commune field or the words at an edge
   of a segment of the text (rapidfuzz ratio; with a postcode, only its communes may match approximately).
2. **Street** in each hypothesis: candidates from rapidfuzz on the street keys and on their French phonetic keys,
   rescored word by word (edit distance or same phonetic key; street types weigh less; words of the query left
   unexplained lower the score).
3. **House number**: exact number and index, else the number with another index, else the street (nearest
   existing number), else the commune's centre. The level says which (``housenumber``, ``street``,
   ``municipality``), as the BAN API does.

The answer is « à vérifier » when its score is below ``CONFIDENT_SCORE`` (or GEOCODE_MIN_SCORE if higher), when it
is not at the house number, when another street scores almost as well (``AMBIGUITY_MARGIN``), and always when a
commune was typed and the street found lies in another one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from rapidfuzz import fuzz, process

from citemploi.territory.geocoding import GeocodeResult
from citemploi.territory.geocoding_local.index import BanIndex
from citemploi.territory.geocoding_local.text import STREET_TYPES, Tokens, content, phonetic, tokenise, words

#: Set from bench/geocoding.py (docs/performance.md, « Géocodage »): the precision of the answers above it.
CONFIDENT_SCORE = 0.8
AMBIGUITY_MARGIN = 0.06
COMMUNE_MIN_RATIO = 82.0
STREET_MIN_SCORE = 0.35
TOKEN_MIN_SIMILARITY = 0.7
CANDIDATES = 6
_SAME_REP = {"b": "bis", "t": "ter", "q": "quater"}
#: Segment, start, end of the words of the text that name a commune.
Span = tuple[int, int, int]


@dataclass
class Hypothesis:
    commune: int
    confidence: float
    typed: bool  # the commune was written (field or text), not only deduced from the postcode
    span: tuple[int, int, int] | None  # segment, start, end of the words naming it in the text


@dataclass
class Candidate:
    score: float
    street: int
    hypothesis: Hypothesis


def _spans(tokens: Tokens) -> list[tuple[str, tuple[int, int, int]]]:
    """Words at the edges of each segment (1 to 5 words), glued, as candidate commune names."""
    out: list[tuple[str, tuple[int, int, int]]] = []
    for s, segment in enumerate(tokens.segments):
        size = len(segment)
        seen: set[tuple[int, int]] = set()
        for length in range(1, min(5, size) + 1):
            for start in (0, size - length):
                if (start, length) not in seen:
                    seen.add((start, length))
                    out.append(("".join(segment[start : start + length]), (s, start, start + length)))
    return out


def hypotheses(index: BanIndex, tokens: Tokens, city: str) -> list[Hypothesis]:
    """The communes the address may be in, most likely first."""
    found: dict[int, Hypothesis] = {}
    postcode_communes = index.by_postcode.get(tokens.postcode, []) if tokens.postcode else []
    allowed = set(postcode_communes)
    names: list[tuple[str, tuple[int, int, int] | None]] = []
    if city.strip():
        names.append(("".join(words(city)), None))
    names += _spans(tokens)

    def whole_segment(span: tuple[int, int, int] | None) -> bool:
        return span is not None and span[1] == 0 and span[2] == len(tokens.segments[span[0]])

    def offer(c: int, ratio: float, weight: float, span: tuple[int, int, int] | None) -> None:
        confidence = (1 - (1 - ratio / 100) * 0.5) * weight
        if tokens.postcode and c not in allowed:
            confidence *= 0.75  # the postcode says otherwise: one of the two is wrong
        best = found.get(c)
        if best is None:
            found[c] = Hypothesis(c, confidence, True, span)
            return
        better = confidence > best.confidence or (confidence == best.confidence and whole_segment(span))
        if best.span is not None and (span is None or better):
            found[c] = Hypothesis(c, confidence, True, span)  # the commune field, when it names it, wins

    exact_hit = False
    for name, span in names:
        for c, weight in index.exact.get(name, ()):
            offer(c, 100.0, weight, span)
            exact_hit = exact_hit or span is None or not tokens.postcode or c in allowed
    if not exact_hit:
        _fuzzy_communes(index, names, tokens.postcode, postcode_communes, offer)
    named = any(h.confidence >= 0.9 for h in found.values())
    for c in postcode_communes:
        if c not in found:  # deduced from the postcode alone: weaker than a commune written out
            confidence = 1.0 if len(postcode_communes) == 1 else 0.97
            found[c] = Hypothesis(c, confidence * (0.9 if named else 1.0), False, None)
    return sorted(found.values(), key=lambda h: -h.confidence)[:5]


def _fuzzy_communes(
    index: BanIndex,
    names: list[tuple[str, Span | None]],
    postcode: str,
    postcode_communes: list[int],
    offer: Callable[[int, float, float, Span | None], None],
) -> None:
    """Approximate commune names: within the postcode's communes when there is one, else among all."""
    queries = [(n, span) for n, span in names if len(n) >= 4]
    if not queries:
        return
    if postcode_communes:
        variants, communes, weights = index.variants_of(postcode)
    else:
        variants, communes, weights = index.variants, index.variant_commune, index.variant_weight
    if not variants:
        return
    matrix = process.cdist([n for n, _ in queries], variants, scorer=fuzz.ratio, score_cutoff=COMMUNE_MIN_RATIO)
    for row, (_name, span) in zip(matrix, queries, strict=True):
        for j in np.flatnonzero(row):
            offer(communes[j], float(row[j]), weights[j], span)


def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a in STREET_TYPES and b in STREET_TYPES:
        return 0.0  # « rue » is not a misspelt « route »
    if len(b) == 1 and a.startswith(b) or len(a) == 1 and b.startswith(a):
        return 0.8  # an initial (« J. Jaurès »)
    similarity = fuzz.ratio(a, b) / 100
    if similarity < 0.9 and len(a) > 2 and len(b) > 2 and phonetic(a) == phonetic(b):
        similarity = max(similarity, 0.9)
    return similarity


def street_score(street: tuple[str, ...], query: list[str]) -> float:
    """Word by word: how much of the street the query explains, lowered for each query word left over."""
    used = [False] * len(query)
    total = explained = 0.0
    for word in sorted(street, key=len, reverse=True):
        weight = 0.4 if word in STREET_TYPES else 1.0
        total += weight
        best, best_j = 0.0, -1
        for j, other in enumerate(query):
            if not used[j]:
                similarity = _token_similarity(word, other)
                if similarity > best:
                    best, best_j = similarity, j
        if best >= TOKEN_MIN_SIMILARITY:
            used[best_j] = True
            explained += weight * best
    if not total:
        return 0.0
    score = explained / total
    for j, word in enumerate(query):
        if not used[j]:
            score *= 0.96 if word in STREET_TYPES or word.isdigit() else 0.9
    # Typos that split or merge words, or two slips in one word: the whole key by edit distance, squared.
    whole = fuzz.ratio(" ".join(street), " ".join(query)) / 100
    return max(score, whole * whole)


def _residual(tokens: Tokens, hypothesis: Hypothesis) -> list[str]:
    out: list[str] = []
    for s, segment in enumerate(tokens.segments):
        for i, token in enumerate(segment):
            span = hypothesis.span
            if span is not None and span[0] == s and span[1] <= i < span[2]:
                continue
            out.append(token)
    return content(out)


def _streets_in(index: BanIndex, hypothesis: Hypothesis, query: list[str]) -> list[Candidate]:
    """Candidates of one commune: the streets sharing a word (or its phonetic key) with the query, the rarest
    first, and the closest by edit distance on the whole key and on the phonetic key; then rescored."""
    commune = index.communes[hypothesis.commune]
    if not query or not commune.streets:
        return []
    shared: dict[int, float] = {}
    for token in query:
        if len(token) < 2:
            continue
        for word, weight in ((token, 1.0), ("~" + phonetic(token), 0.6)):
            positions = commune.by_word.get(word, ())
            rarity = weight / (1 + len(positions)) ** 0.5
            for i in positions:
                shared[i] = shared.get(i, 0.0) + rarity
    picked = set(sorted(shared, key=shared.__getitem__, reverse=True)[:CANDIDATES])
    out = [_candidate(index, commune.streets[i], query, hypothesis) for i in picked]
    if max([0.0] + [c.score for c in out]) < 0.9 * hypothesis.confidence:  # typos: ask the edit distance too
        more = _closest(query, commune.keys, commune.phonetic_keys) - picked
        out += [_candidate(index, commune.streets[i], query, hypothesis) for i in more]
    return out


def _closest(query: list[str], keys: list[str], phonetic_keys: list[str]) -> set[int]:
    text = " ".join(query)
    phon = " ".join(phonetic(t) for t in query if t not in STREET_TYPES) or text
    picked = {i for _k, _s, i in process.extract(text, keys, scorer=fuzz.ratio, limit=4)}
    return picked | {i for _k, _s, i in process.extract(phon, phonetic_keys, scorer=fuzz.ratio, limit=2)}


def _candidate(index: BanIndex, s: int, query: list[str], hypothesis: Hypothesis) -> Candidate:
    return Candidate(hypothesis.confidence * street_score(index.street_tokens[s], query), s, hypothesis)


def geocode(index: BanIndex, query: str, *, postcode: str = "", city: str = "") -> GeocodeResult | None:
    tokens = tokenise(query, postcode=postcode)
    if not tokens.postcode and not city.strip() and not tokens.segments:
        return None
    found = hypotheses(index, tokens, city)
    candidates: list[Candidate] = []
    top = 0.0
    for hypothesis in found:  # most likely first; a commune that cannot beat the best street found is skipped
        if hypothesis.confidence < top - AMBIGUITY_MARGIN:
            break
        found_here = _streets_in(index, hypothesis, _residual(tokens, hypothesis))
        if hypothesis.span is not None and max([0.0] + [c.score for c in found_here]) < CONFIDENT_SCORE:
            # the words taken for the commune may belong to the street (« Rue de Saint-Just », « Route de Roche »)
            reused = Hypothesis(hypothesis.commune, hypothesis.confidence * 0.85, hypothesis.typed, hypothesis.span)
            found_here += _streets_in(index, reused, content(tokens.flat))
        candidates += found_here
        top = max([top] + [c.score for c in candidates])
    if not found:  # no commune recognised: every street of the file, never a confident answer
        anywhere = Hypothesis(-1, 0.75, False, None)
        left = content(tokens.flat)
        picked = _closest(left, index.all_keys, index.all_phonetic) if left else set()
        candidates = [_candidate(index, s, left, anywhere) for s in picked]
    candidates.sort(key=lambda c: -c.score)
    if not candidates or candidates[0].score < STREET_MIN_SCORE:
        return _municipality(index, found[0]) if found else None
    best = candidates[0]
    typed = {h.commune for h in found if h.typed}
    commune = index.street_commune[best.street]
    doubt = bool(typed) and commune not in typed  # a commune was written, and this street is not in it
    doubt = doubt or any(
        c.street != best.street and c.score >= best.score - AMBIGUITY_MARGIN and not _near(index, c.street, best.street)
        for c in candidates[1:]
    )
    return _house(index, best, tokens, doubt)


def _near(index: BanIndex, a: int, b: int) -> bool:
    """Two street records within 50 m of each other (the same way split in two, say)."""
    i, j = index.street_centre(a), index.street_centre(b)
    return abs(index.lon[i] - index.lon[j]) < 0.0006 and abs(index.lat[i] - index.lat[j]) < 0.0004


def _house(index: BanIndex, best: Candidate, tokens: Tokens, doubt: bool) -> GeocodeResult:
    s = best.street
    lo, hi = index.start[s], index.end[s]
    level, factor, chosen = "street", 0.9, index.street_centre(s)
    if tokens.number is not None:
        first = bisect_left(index.number, tokens.number, lo, hi)
        last = bisect_right(index.number, tokens.number, lo, hi)
        if first < last:
            want = _SAME_REP.get(tokens.rep, tokens.rep)
            same = [k for k in range(first, last) if _SAME_REP.get(index.rep[k], index.rep[k]) == want]
            chosen, factor, level = (same[0], 1.0, "housenumber") if same else (first, 0.95, "housenumber")
        else:
            numbered = [k for k in range(lo, hi) if index.number[k] >= 0]
            if numbered:
                wanted = tokens.number
                chosen = min(numbered, key=lambda k: (abs(index.number[k] - wanted), index.number[k]))
            factor = 0.75
    score = round(best.score * factor, 3)
    return _result(index, chosen, s, level, score, doubt or level != "housenumber")


def _municipality(index: BanIndex, hypothesis: Hypothesis) -> GeocodeResult:
    commune = index.communes[hypothesis.commune]
    postcode = sorted(commune.postcodes)[0] if commune.postcodes else ""
    return GeocodeResult(
        label=f"{postcode} {commune.name}".strip(),
        lon=commune.lon,
        lat=commune.lat,
        score=round(0.5 * hypothesis.confidence, 3),
        insee_code=commune.insee,
        postcode=postcode,
        city=commune.name,
        needs_check=True,
        level="municipality",
    )


def _result(index: BanIndex, k: int, s: int, level: str, score: float, doubt: bool) -> GeocodeResult:
    commune = index.communes[index.street_commune[s]]
    number = " ".join(str(p) for p in (index.number[k], index.rep[k]) if p) if level == "housenumber" else ""
    label = " ".join(p for p in (number, index.street_name[s], index.postcode[k], commune.name) if p)
    threshold = max(CONFIDENT_SCORE, float(settings.GEOCODE_MIN_SCORE))
    return GeocodeResult(
        label=label,
        lon=index.lon[k],
        lat=index.lat[k],
        score=score,
        insee_code=commune.insee,
        postcode=index.postcode[k],
        city=commune.name,
        needs_check=doubt or score < threshold,
        level=level,
    )
