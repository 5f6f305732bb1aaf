"""Text side of the local geocoder: normalisation, tokens without the noise of postal addresses, French phonetic key.

Everything here is pure (no database): ``tokenise`` turns « Appt 12, 45 bis av. J.-Jaurès 42000 St-Étienne » into
the postcode, the house number and its index, and the remaining tokens (« avenue j jaures saint etienne »), with
the comma-separated segments kept so that the commune can be looked for at the edges of a segment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


def split_words(text: str) -> list[str]:
    return text.split()


ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "avn": "avenue", "aven": "avenue",
    "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard", "boul": "boulevard", "bvd": "boulevard",
    "st": "saint", "ste": "sainte", "sts": "saints",
    "chem": "chemin", "ch": "chemin", "che": "chemin", "chm": "chemin",
    "imp": "impasse", "pl": "place", "r": "rue", "rte": "route", "all": "allee", "al": "allee", "sq": "square",
    "fg": "faubourg", "fbg": "faubourg", "faub": "faubourg", "crs": "cours", "pas": "passage", "pass": "passage",
    "qu": "quai", "res": "residence", "resid": "residence", "lot": "lotissement", "lotiss": "lotissement",
    "mte": "montee", "ham": "hameau", "ld": "lieu dit", "lieudit": "lieu dit", "za": "zone artisanale",
    "zi": "zone industrielle", "zac": "zac", "prom": "promenade", "rpt": "rond point", "carr": "carrefour",
    "dr": "docteur", "gal": "general", "gen": "general", "mal": "marechal", "pdt": "president",
    "prof": "professeur", "cdt": "commandant", "mgr": "monseigneur", "cte": "comte", "n d": "notre dame",
}  # fmt: skip
#: Street types: they weigh less than the name when comparing streets, and a « résidence … » in front of one is
#: a building name, not the street.
STREET_TYPES = frozenset(
    split_words(
        "rue avenue boulevard chemin impasse place allee route square faubourg cours passage quai montee hameau "
        "lotissement promenade sentier voie esplanade parvis rond point carrefour zone traverse venelle cite "
        "clos mail ruelle"
    )
)
STOP_WORDS = frozenset(split_words("de du des la le les l d a au aux et en sur sous"))
#: Repetition indexes as the BAN writes them (``rep``), and how people type them.
REPETITIONS = {"bis": "bis", "b": "bis", "ter": "ter", "t": "ter", "quater": "quater", "q": "quater",
               "quinquies": "quinquies"}  # fmt: skip
LETTER_INDEXES = frozenset("abcdefgh")
#: Words of the delivery line that never locate the house: dropped with the identifier that follows them.
NOISE_WITH_ARG = frozenset(
    split_words("appartement appart appt apt app bat batiment bt escalier esc etage etg logement lgt bp cs tsa cedex")
)
#: Of those, the ones dropped even without an identifier after them.
NOISE_ALONE = frozenset(split_words(
"appartement appart appt apt bat batiment escalier esc etage etg logement lgt bp cs cedex "
                        "rdc"))  # fmt: skip
PERSON_TITLES = frozenset(split_words("m mr mme mlle monsieur madame mademoiselle famille fam docteur dr"))
BUILDING_WORDS = frozenset(split_words("residence immeuble imm"))
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER_AND_INDEX = re.compile(r"^(\d{1,4})(bis|ter|quater|quinquies|[a-h])$")
_ORDINAL = re.compile(r"^\d{1,2}(e|er|ere|eme|ieme|em|nd|nde)$")


def strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Lower case ASCII words, abbreviations expanded (« Av. J.-Jaurès » → avenue, j, jaures)."""
    out: list[str] = []
    for word in _WORD.findall(strip_accents(text)):
        expanded = ABBREVIATIONS.get(word, word)
        out.extend(expanded.split() if " " in expanded else (expanded,))
    return out


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, abbreviations expanded: "Av. J.-Jaurès" → "avenue j jaures"."""
    return " ".join(words(text))


def _is_identifier(token: str) -> bool:
    """What follows « appt », « bât », « BP »…: a number, a letter, or a short code (« A2 », « 12b »)."""
    return len(token) <= 6 and (any(ch.isdigit() for ch in token) or len(token) == 1)


@dataclass
class Tokens:
    """An address split for matching: the words left (by comma-separated segment), the number and index found."""

    segments: list[list[str]] = field(default_factory=list)
    number: int | None = None
    rep: str = ""
    postcode: str = ""
    numbers: list[int] = field(default_factory=list)  # other numbers left in the text (« rue du 8 mai 1945 »)

    @property
    def flat(self) -> list[str]:
        return [token for segment in self.segments for token in segment]


def _drop_noise(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in NOISE_WITH_ARG and nxt and _is_identifier(nxt):
            i += 2
            continue
        if token in NOISE_ALONE or (_ORDINAL.match(token) and nxt in ("etage", "etg")):
            i += 1
            continue
        if token == "chez":  # « chez Mme Martin »: the title and one or two names
            i += 1
            while i < len(tokens) and tokens[i] in PERSON_TITLES:
                i += 1
            i += min(2, _name_run(tokens, i))
            continue
        out.append(token)
        i += 1
    return out


def _name_run(tokens: list[str], start: int) -> int:
    """How many plain words follow ``start`` before a number or a street type."""
    run = 0
    while start + run < len(tokens):
        token = tokens[start + run]
        if token.isdigit() or token in STREET_TYPES or _NUMBER_AND_INDEX.match(token):
            break
        run += 1
    return run


def _drop_building(segments: list[list[str]]) -> list[list[str]]:
    """« Résidence Les Tilleuls » names a building when a street type is elsewhere in the address: dropped."""
    if not any(t in BUILDING_WORDS for s in segments for t in s):
        return segments
    out: list[list[str]] = []
    for segment in segments:
        kept: list[str] = []
        i = 0
        while i < len(segment):
            before = segment[i - 1] if i else ""
            after_street = any(t in STREET_TYPES for t in segment[:i])
            if segment[i] in BUILDING_WORDS and (not after_street or before not in STREET_TYPES | STOP_WORDS):
                rest = [t for s in segments for t in s if s is not segment] + segment[:i]
                run = _name_run(segment, i + 1)
                if any(t in STREET_TYPES and t != "residence" for t in rest + segment[i + 1 + run :]):
                    i += 1 + run
                    continue
            kept.append(segment[i])
            i += 1
        out.append(kept)
    return out


def tokenise(text: str, *, postcode: str = "") -> Tokens:
    """Postcode, house number (anywhere: « 45 bis rue X », « rue X 45 », « 45B »), index and words of an address."""
    result = Tokens(postcode=postcode.strip())
    raw_segments = [_drop_noise(words(part)) for part in re.split(r"[,;\n]", text)]
    segments: list[list[str]] = []
    for segment in raw_segments:
        kept: list[str] = []
        for token in segment:
            if len(token) == 5 and token.isdigit():
                result.postcode = result.postcode or token
                if kept:
                    segments.append(kept)
                kept = []  # a postcode ends a segment (« 42000 Saint-Étienne »)
                continue
            kept.append(token)
        if kept:
            segments.append(kept)
    segments = _drop_building(segments)
    _take_number(result, segments)
    result.segments = [s for s in segments if s]
    return result


def _take_number(result: Tokens, segments: list[list[str]]) -> None:
    """The house number: the first number of the text when it starts a segment, else the last one; an index
    (bis, ter, b…) just after it goes with it."""
    places: list[tuple[int, int]] = [
        (s, i) for s, segment in enumerate(segments) for i, t in enumerate(segment) if _number_of(t) is not None
    ]
    if not places:
        return
    starts = [(s, i) for s, i in places if i == 0]
    before_type = [(s, i) for s, i in places if _followed_by_type(segments[s], i)]
    s, i = (starts or before_type or places[-1:])[0]
    segment = segments[s]
    number, rep = _number_of(segment[i]) or (0, "")
    drop = [i]
    if not rep and i + 1 < len(segment) and segment[i + 1] in REPETITIONS | {c: c for c in LETTER_INDEXES}:
        following = segment[i + 2] if i + 2 < len(segment) else ""
        if segment[i + 1] in REPETITIONS or following in STREET_TYPES or not following:
            rep = REPETITIONS.get(segment[i + 1], segment[i + 1])
            drop.append(i + 1)
    result.number, result.rep = number, rep
    segments[s] = [t for j, t in enumerate(segment) if j not in drop]
    result.numbers = [int(t) for seg in segments for t in seg if t.isdigit()]


def _followed_by_type(segment: list[str], i: int) -> bool:
    """« … 12 rue … », « … 12 bis rue … »."""
    after = segment[i + 1 : i + 3]
    return bool(after) and (after[0] in STREET_TYPES or (after[0] in REPETITIONS and after[1:2] != [] and
                                                         after[1] in STREET_TYPES))  # fmt: skip


def _number_of(token: str) -> tuple[int, str] | None:
    if token.isdigit() and len(token) <= 4:
        return int(token), ""
    match = _NUMBER_AND_INDEX.match(token)
    if match:
        return int(match.group(1)), REPETITIONS.get(match.group(2), match.group(2))
    return None


def content(tokens: list[str]) -> list[str]:
    """Tokens that carry meaning for matching (no « de », « la »…)."""
    return [t for t in tokens if t not in STOP_WORDS]


_PHONETIC_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"ph", "f"), (r"gu(?=[eiy])", "g"), (r"g(?=[eiy])", "j"), (r"qu", "k"), (r"q", "k"),
        (r"c(?=[eiy])", "s"), (r"ch", "X"), (r"sh", "X"), (r"ck", "k"), (r"c", "k"), (r"x", "ks"), (r"w", "v"), (r"y", "i"),
        (r"th", "t"), (r"(?<=[aeiou])s(?=[aeiou])", "z"), (r"h", ""), (r"(.)\1+", r"\1"), (r"eaux?|aux?|o", "o"),
        (r"ou", "u"), (r"[aeu]?i[nm](?=[^aeiou]|$)", "I"), (r"(ai|ei)", "e"), (r"[ae][nm](?=[^aeiou]|$)", "A"),
        (r"o[nm](?=[^aeiou]|$)", "O"), (r"([^aeiouAIO])[stdxz]$", r"\1"), (r"[stdxz]$", ""),
        (r"(?<=.)e$", ""),
    )
]  # fmt: skip


@lru_cache(maxsize=65536)
def phonetic(word: str) -> str:
    """A French phonetic key (« Jaurès » and « jores », « Chemin » and « chemain » share it)."""
    if word.isdigit() or len(word) <= 1:
        return word
    key = word
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key or word
