"""A French phonetic key for names, used for blocking only (never to decide).

Why our own: the French keys on PyPI are either GPL (abydos, unmaintained since 2020), or small packages without
a clear licence or maintenance (phonetic-fr, phonetics); the English Soundex/Metaphone of jellyfish are wrong for
French (« Dupont »/« Dupond », « Philippe »/« Filipe », « Thibault »/« Thibaut »). The rules below follow the
French spelling-to-sound correspondences that matter for names (in the spirit of Soundex2/Phonex, written from
the rules, not copied): hard and soft c/g, qu, ph, ch/sch, gn, eau/au/o, ai/ei/è, nasal vowels, silent h and
final consonants, doubled letters. Upper-case letters are intermediate phonemes (the input is folded lower case).

The key is short (at most ``LENGTH`` symbols) so that a late typo still falls in the same block.
"""

from __future__ import annotations

import re
from functools import lru_cache

from citemploi.intake.linkage.normalise import fold

LENGTH = 8

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^a-z]", ""),
        (r"(?<=.)x$", ""),  # « Moreaux », « Mathieux »
        (r"ault", "aut"),  # « Thibault », « Renault »
        (r"^mac", "mak"),
        (r"bv", "v"),
        (r"ph", "f"),
        (r"sch|sh|ch", "C"),  # ʃ
        (r"th", "t"),
        (r"gu(?=[eiy])", "G"),  # hard g kept hard
        (r"g(?=[eiy])", "j"),
        (r"gn", "ni"),
        (r"G", "g"),
        (r"qu|q|ck|cq", "k"),
        (r"cc(?=[eiy])", "ks"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"z", "s"),
        (r"y", "i"),
        (r"h", ""),
        (r"eau|au", "o"),
        (r"ou", "U"),
        (r"oi", "Wa"),
        (r"(?<=[aeiou])ill", "i"),
        (r"ai|ei", "e"),
        (r"[ae][nm](?=[^aeiouUnm]|$)", "A"),  # an, am, en, em: « Laurent », « Lambert »
        (r"o[nm](?=[^aeiouUnm]|$)", "O"),  # on, om
        (r"(?:[ie]|a[ie]|u)[nm](?=[^aeiouUnm]|$)", "I"),  # in, ain, ein, un, im
        (r"(?<=[aeiouAOIU])s(?=[aeiouAOIU])", "s"),
        (r"(.)\1+", r"\1"),
        (r"(?<=.)(?:es|e|s|t|d)$", ""),  # silent endings: « Dubois », « Bernard », « Petit », « Dupont »
        (r"(?<=.)(?:es|e|s|t|d)$", ""),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=200_000)
def phonetic_key(name: str) -> str:
    """« Dupont », « DUPOND », « du pon » → the same key; '' for an empty name."""
    text = fold(name).replace(" ", "")
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text[:LENGTH]
