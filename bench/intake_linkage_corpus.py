"""A labelled corpus of fictitious people for the linkage benchmark (Faker fr_FR, fixed seed).

People live in households (same address, often the same phone; children and often partners share the last
name), some are twins (same birth date, same address, same last name, another first name): all of them
*different* people. A share of the people appear again as near-duplicates with realistic noise: typos, missing
accents and upper case, first and last names swapped, maiden/married names (with or without « épouse »/« née »),
one part of a compound name only, birth date with one digit wrong or day and month swapped, missing fields,
phone and address written differently, a move. Each record carries the id of the person it describes (the
truth); the corpus is written with the dedupe CLI's columns.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from faker import Faker

from citemploi.intake.linkage import LinkRecord

NOISES = (
    "typo_last",
    "typo_first",
    "accents",
    "swap",
    "married",
    "compound_part",
    "date_typo",
    "date_swap",
    "missing",
    "phone_format",
    "address_format",
    "moved",
)


@dataclass
class Corpus:
    records: list[LinkRecord]
    truth: dict[str, int]  # record id → person number
    people: int
    twins_pairs: int
    households: int


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        # A territory: 25 postcodes and their communes (a Cité de l'emploi covers one urban area).
        self.zones = [(self.fake.postcode(), self.fake.city()) for _ in range(25)]
        self.serial = 0

    # -- people ---------------------------------------------------------------------------------------------
    def first_name(self, sex: str) -> str:
        pick = self.fake.first_name_female if sex == "F" else self.fake.first_name_male
        name = pick()
        if self.rng.random() < 0.08:
            other = pick()
            if other != name:
                name = f"{name}-{other}"
        return name

    def last_name(self) -> str:
        name = self.fake.last_name()
        if self.rng.random() < 0.07:
            other = self.fake.last_name()
            if other != name:
                name = f"{name}-{other}"
        return name

    def phone(self) -> str:
        return "0" + self.rng.choice("67") + "".join(f" {self.rng.randint(0, 99):02d}" for _ in range(4))

    def email(self, first: str, last: str) -> str:
        local = fold_ascii(f"{first}.{last}").replace(" ", "").replace("'", "")
        return f"{local}{self.rng.randint(1, 999)}@example.org"

    def birth(self, low: int = 1958, high: int = 2008) -> date:
        start = date(low, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(high, 12, 31) - start).days))

    def person(
        self, *, last: str, sex: str, born: date, address: tuple[str, str, str], phone: str, taken: set[str]
    ) -> LinkRecord:
        """One person; ``taken``: the first names already given in the household (never given twice)."""
        self.serial += 1
        first = self.first_name(sex)
        while first.split("-")[0] in taken:
            first = self.first_name(sex)
        taken.add(first.split("-")[0])
        street, postcode, commune = address
        return LinkRecord(
            id=f"r{self.serial}",
            last_name=last,
            first_name=first,
            birth_date=born,
            sex=sex,
            email=self.email(first, last) if self.rng.random() < 0.6 else "",
            phone=phone if phone else (self.phone() if self.rng.random() < 0.85 else ""),
            address=street,
            postcode=postcode,
            commune=commune,
        )

    def household(self) -> tuple[list[LinkRecord], int]:
        """One household: a head, maybe a partner, maybe children (sometimes twins)."""
        postcode, commune = self.rng.choice(self.zones)
        address = (self.fake.street_address(), postcode, commune)
        landline = self.phone() if self.rng.random() < 0.5 else ""
        head_sex = self.rng.choice("FM")
        last = self.last_name()
        head_born = self.birth(1958, 1990)
        taken: set[str] = set()
        members = [self.person(last=last, sex=head_sex, born=head_born, address=address, phone=landline, taken=taken)]
        size = self.rng.choices([1, 2, 3, 4, 5], weights=[45, 22, 15, 11, 7])[0]
        twins = 0
        if size >= 2:
            partner_last = last if self.rng.random() < 0.5 else self.last_name()
            partner_born = head_born + timedelta(days=self.rng.randint(-2500, 2500))
            members.append(
                self.person(
                    last=partner_last,
                    sex="M" if head_sex == "F" else "F",
                    born=partner_born,
                    address=address,
                    phone=landline,
                    taken=taken,
                )
            )
        previous: date | None = None
        for _ in range(size - 2):
            if previous and self.rng.random() < 0.25:
                born = previous  # a twin of the previous child
                twins += 1
            else:
                born = head_born + timedelta(days=self.rng.randint(18 * 365, 38 * 365))
                if born > date(2008, 12, 31):
                    born = self.birth(1990, 2008)
            members.append(
                self.person(
                    last=last, sex=self.rng.choice("FM"), born=born, address=address, phone=landline, taken=taken
                )
            )
            previous = born
        return members, twins

    # -- noise ----------------------------------------------------------------------------------------------
    def typo(self, text: str) -> str:
        letters = [i for i, ch in enumerate(text) if ch.isalpha()]
        if len(letters) < 3:
            return text
        i = self.rng.choice(letters[1:])
        op = self.rng.choice(("sub", "del", "ins", "swap"))
        alphabet = "abcdefghijklmnopqrstuvwxyz"
        if op == "sub":
            return text[:i] + self.rng.choice(alphabet) + text[i + 1 :]
        if op == "del":
            return text[:i] + text[i + 1 :]
        if op == "ins":
            return text[:i] + self.rng.choice(alphabet) + text[i:]
        if i + 1 < len(text):
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text

    def noisy(self, original: LinkRecord) -> LinkRecord:
        self.serial += 1
        record = replace(original, id=f"r{self.serial}")
        count = self.rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
        for noise in self.rng.sample(NOISES, count):
            record = self.apply(noise, record)
        return record

    def apply(self, noise: str, r: LinkRecord) -> LinkRecord:
        rng = self.rng
        actions: dict[str, Callable[[], LinkRecord]] = {
            "typo_last": lambda: replace(r, last_name=self.typo(r.last_name)),
            "typo_first": lambda: replace(r, first_name=self.typo(r.first_name)),
            "accents": lambda: replace(
                r, last_name=fold_ascii(r.last_name).upper(), first_name=fold_ascii(r.first_name).upper()
            ),
            "swap": lambda: replace(r, last_name=r.first_name, first_name=r.last_name),
            "married": lambda: self.married(r),
            "compound_part": lambda: self.compound_part(r),
            "date_typo": lambda: replace(r, birth_date=self.date_typo(r.birth_date)),
            "date_swap": lambda: replace(r, birth_date=date_swap(r.birth_date)),
            "missing": lambda: self.missing(r),
            "phone_format": lambda: replace(r, phone=phone_format(r.phone, rng)),
            "address_format": lambda: replace(r, address=address_format(r.address, rng)),
            "moved": lambda: self.moved(r),
        }
        return actions[noise]()

    def married(self, r: LinkRecord) -> LinkRecord:
        if r.sex != "F":
            return replace(r, last_name=self.typo(r.last_name))
        spouse = self.fake.last_name()
        form = self.rng.choice(("{b} épouse {m}", "{m} née {b}", "{m}", "{b} ép. {m}"))
        return replace(r, last_name=form.format(b=r.last_name, m=spouse))

    def compound_part(self, r: LinkRecord) -> LinkRecord:
        if "-" in r.last_name:
            return replace(r, last_name=self.rng.choice(r.last_name.split("-")))
        if "-" in r.first_name:
            return replace(r, first_name=r.first_name.split("-")[0])
        return replace(r, last_name=r.last_name.replace(" ", "-") if " " in r.last_name else r.last_name.upper())

    def date_typo(self, born: date | None) -> date | None:
        if born is None:
            return None
        digits = born.strftime("%Y%m%d")
        for _ in range(20):
            i = self.rng.randrange(2, 8)
            candidate = digits[:i] + str(self.rng.randint(0, 9)) + digits[i + 1 :]
            try:
                new = date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
            except ValueError:
                continue
            if new != born:
                return new
        return born

    def missing(self, r: LinkRecord) -> LinkRecord:
        # A first name is nearly always filled in partners' files; the other fields often are not.
        fields = self.rng.sample(["email", "phone", "address", "birth_date", "sex"], 2)
        if self.rng.random() < 0.1:
            fields[0] = "first_name"
        empty = {f: (None if f == "birth_date" else "") for f in fields}
        if "address" in empty:
            empty |= {"postcode": "", "commune": ""}
        return replace(r, **empty)  # type: ignore[arg-type]

    def moved(self, r: LinkRecord) -> LinkRecord:
        postcode, commune = self.rng.choice(self.zones)
        return replace(r, address=self.fake.street_address(), postcode=postcode, commune=commune)


def fold_ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def date_swap(born: date | None) -> date | None:
    if born is None or born.day > 12 or born.day == born.month:
        return born
    return date(born.year, born.day, born.month)


def phone_format(phone: str, rng: random.Random) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) != 10:
        return phone
    return rng.choice((f"+33 {digits[1]} {digits[2:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}", digits))


def address_format(address: str, rng: random.Random) -> str:
    short = {"boulevard": "bd", "avenue": "av.", "rue": "r.", "place": "pl.", "chemin": "ch.", "impasse": "imp."}
    words = address.split()
    words = [short.get(w.lower(), w) for w in words]
    text = " ".join(words)
    return text.upper() if rng.random() < 0.5 else text.replace(",", "")


def generate(people: int, *, duplicate_rate: float, seed: int) -> Corpus:
    gen = Generator(seed)
    base: list[LinkRecord] = []
    twins = households = 0
    while len(base) < people:
        members, household_twins = gen.household()
        base.extend(members)
        twins += household_twins
        households += 1
    base = base[:people]
    truth = {record.id: n for n, record in enumerate(base)}
    records = list(base)
    for n, record in enumerate(base):
        if gen.rng.random() < duplicate_rate:
            copies = 2 if gen.rng.random() < 0.15 else 1
            for _ in range(copies):
                copy = gen.noisy(record)
                records.append(copy)
                truth[copy.id] = n
    gen.rng.shuffle(records)
    return Corpus(records=records, truth=truth, people=people, twins_pairs=twins, households=households)
