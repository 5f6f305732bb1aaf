"""CSV reading for the intake: encoding and separator found from the content, rows streamed.

Encoding: a byte order mark says UTF-8 or UTF-16 (the « texte Unicode » of Excel); otherwise the whole file is
checked as UTF-8 (one streamed pass, nothing kept), and a file that is not UTF-8 is read as Windows-1252, the
superset of Latin-1 that French Windows software writes. A file that is neither (one of the five bytes that
Windows-1252 leaves undefined) is refused: reading it would put wrong letters in people's names.

Separator: ``;`` (French Excel), ``,``, tab or ``|``, chosen on the first lines: the one that splits the header in
the most columns with rows of the same width. ``csv.Sniffer`` is not used: it guesses wrong on short files and on
cells holding the other separators (decimal commas, « Dupont, Jean »).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import IO

from django.utils.translation import gettext as _

from citemploi.intake.errors import FileRefused

Opener = Callable[[], AbstractContextManager[IO[bytes]]]

SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
SNIFF_ROWS = 50
DELIMITERS = (";", ",", "\t", "|")
_SEP_LINE = re.compile(r"^sep=(.)\r?\n")
#: C0 control bytes that no text file holds (tab, line feed, carriage return, form feed and escape excepted).
_BINARY_BYTES = bytes([*range(0, 8), 11, *range(14, 27), *range(28, 32)])


def looks_binary(sample: bytes) -> bool:
    """A NUL byte, or more than 1 % of control bytes: not text (UTF-16 is recognised by its BOM before this)."""
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > len(sample) // 100


def detect_encoding(opener: Opener) -> str:
    with opener() as handle:
        sample = handle.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if looks_binary(sample):
        raise FileRefused(
            _("Ce fichier n'est pas un tableur lisible (CSV, XLSX ou ODS) : il contient des données binaires.")
        )
    if _decodes(opener, "utf-8"):
        return "utf-8"
    if _decodes(opener, "cp1252"):
        return "cp1252"
    raise FileRefused(
        _(
            "Encodage du fichier non reconnu (ni UTF-8 ni Windows-1252) : enregistrez-le à nouveau "
            "au format « CSV UTF-8 » depuis votre tableur."
        )
    )


def _decodes(opener: Opener, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with opener() as handle:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def declared_delimiter(opener: Opener, encoding: str) -> str | None:
    """The separator of Excel's « sep=; » first line (Excel hides that line: the header is the next one)."""
    with opener() as handle:
        start = handle.read(64).decode(encoding, errors="ignore").lstrip("\ufeff")
    match = _SEP_LINE.match(start)
    return match[1] if match else None


def detect_delimiter(opener: Opener, encoding: str) -> str:
    with opener() as handle:
        raw = handle.read(SAMPLE_BYTES)
        complete = len(raw) < SAMPLE_BYTES
    text = raw.decode(encoding, errors="ignore")
    if not complete and "\n" in text:
        text = text[: text.rindex("\n")]  # the last line may be cut
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in _sample_rows(text, delimiter)]
        if not widths:
            continue
        # The most frequent width, and how many rows have it: a title line above the header does not decide.
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (count / len(widths), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            while row and not row[-1].strip():
                row = row[:-1]  # trailing empty cells (« a;b;; » from Excel) do not count
            if row:
                rows.append(row)
            if len(rows) >= SNIFF_ROWS:
                break
    except csv.Error:
        pass  # a quoted cell cut by the end of the sample: the rows before it are enough
    return rows


def csv_rows(
    opener: Opener, encoding: str, delimiter: str, *, max_line: int, skip_first: bool = False
) -> Iterator[list[str]]:
    """Every record of the file as a list of strings; a late decoding error refuses the file with its line, and so
    does a line longer than ``max_line`` characters (before it is split: a million-column line stops there)."""
    with opener() as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as handle:
        if skip_first:
            handle.readline(max_line)
        reader = csv.reader(_bounded_lines(handle, max_line), delimiter=delimiter)
        try:
            yield from reader
        except UnicodeDecodeError as error:
            raise FileRefused(
                _(
                    "Ligne %(line)s : caractères illisibles (encodage %(encoding)s). Enregistrez le fichier en CSV UTF-8."
                )
                % {"line": reader.line_num + 1, "encoding": encoding}
            ) from error
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise FileRefused(
                    _("Ligne %(line)s : une cellule dépasse %(max)s caractères.")
                    % {"line": reader.line_num, "max": csv.field_size_limit()}
                ) from error
            raise FileRefused(
                _("Ligne %(line)s illisible : %(reason)s.") % {"line": reader.line_num, "reason": error}
            ) from error


def _bounded_lines(handle: IO[str], max_line: int) -> Iterator[str]:
    number = 0
    while line := handle.readline(max_line + 1):
        number += 1
        if len(line) > max_line:
            raise FileRefused(
                _("Ligne %(line)s trop longue (plus de %(max)s caractères) : ce fichier n'est pas un tableau.")
                % {"line": number, "max": max_line}
            )
        yield line
