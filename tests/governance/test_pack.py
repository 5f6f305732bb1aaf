"""The COPIL pack (issue 14 §5): built from a stored snapshot, the same twice, masked for steering, tagged PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from citemploi.core.errors import PermissionDenied
from citemploi.evaluation.models import Snapshot
from citemploi.governance.models import Decision, Pack
from citemploi.governance.pack import COORDINATOR, STEERING, meeting_period
from citemploi.governance.pack_render import meeting_pack, pdf_bytes
from citemploi.pathways.models import Person
from tests.factories.governance import copil, meeting
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db

SMALL = re.compile(r"^[1-5](\s?j)?$")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def people(world, count: int, *, days_ago: int) -> list:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return [make_person(by=world.users["referent"], spotted_on=day) for _ in range(count)]


@pytest.fixture
def session(world):
    """A COPIL held 10 days ago (the previous one 100 days ago), 8 people spotted between, a late decision."""
    instance = copil(world)
    before = meeting(instance, days=-100, title="COPIL d'automne")
    held = meeting(instance, days=-10, title="COPIL d'hiver")
    held.items.create(title="Bilan de l'entonnoir", position=1, owner=world.users["referent"])
    Decision.objects.create(
        meeting=before,
        text="Ouvrir une permanence au centre social",
        owner=world.users["referent"],
        owner_structure=world.relais,
        deadline=timezone.localdate() - dt.timedelta(days=30),
    )
    people(world, 8, days_ago=40)
    return held


def test_the_period_runs_from_the_previous_meeting_to_this_one(session):
    period = meeting_period(session)
    previous = session.instance.meetings.get(title="COPIL d'automne")
    assert period.start == timezone.localtime(previous.starts_at).date() + dt.timedelta(days=1)
    assert period.end == timezone.localtime(session.starts_at).date()


def test_the_pdf_holds_the_snapshot_figures_and_the_decisions(world, session):
    content = meeting_pack(by=world.users["coordinator"], meeting=session, audience=COORDINATOR)
    pack = Pack.objects.get(meeting=session)
    assert pack.snapshot.figures["spotted"]["value"] == 8
    text = pdf_text(pdf_bytes(content))
    assert re.search(r"Personnes repérées\s+8\b", text)
    assert "Ouvrir une permanence au centre social" in text and "En retard" in text
    assert "Besoins non couverts" in text and "Ordre du jour" in text and "Bilan de l'entonnoir" in text
    # the coordinator's pack names the owners
    assert world.users["referent"].get_full_name() in text


def test_a_second_pack_of_a_past_meeting_gives_the_same_figures_and_says_revised(world, session):
    coordinator = world.users["coordinator"]
    first = meeting_pack(by=coordinator, meeting=session, audience=COORDINATOR)
    people(world, 4, days_ago=30)  # data changed since: 12 people spotted in the period now
    second = meeting_pack(by=coordinator, meeting=session, audience=COORDINATOR)
    spotted = [next(i for i in c.indicators if i.id == "spotted") for c in (first, second)]
    assert spotted[0].now == spotted[1].now == "8"
    assert spotted[1].revised == "12" and spotted[0].revised == ""
    assert [r.cells for r in first.funnel] == [r.cells for r in second.funnel]
    assert Snapshot.objects.count() == 2 and Pack.objects.count() == 1  # the period and the previous period
    assert "révisé depuis : 12" in pdf_text(pdf_bytes(second))


def test_the_steering_pack_has_no_name_and_no_cell_of_one_to_five(world, session):
    referent = world.users["referent"]
    people(world, 3, days_ago=150)  # 3 in the previous period: masked there
    content = meeting_pack(by=world.users["steering_member"], meeting=session, audience=STEERING)
    cells = [i.now for i in content.indicators] + [i.before for i in content.indicators]
    cells += [c for row in content.funnel for c in row.cells] + [p.value for p in content.roadmap]
    cells += [c for chart in content.charts for row in chart.rows for c in row[1:]]
    assert not [c for c in cells if SMALL.match(c.replace("\u202f", " "))]
    assert "< 6" in cells
    text = pdf_text(pdf_bytes(content))
    names = [referent.get_full_name(), referent.last_name] + [p.last_name for p in Person.objects.all()]
    assert not [n for n in names if n and n in text]
    assert "Ouvrir une permanence au centre social" in text and world.relais.name in text


def test_a_non_coordinator_cannot_ask_for_the_unmasked_pack(world, session):
    with pytest.raises(PermissionDenied):
        meeting_pack(by=world.users["steering_member"], meeting=session, audience=COORDINATOR)
    with pytest.raises(PermissionDenied):  # the outsider relais does not see the COPIL
        meeting_pack(by=world.users["outsider"], meeting=session, audience=STEERING)


def test_the_pdf_is_tagged_with_its_language_and_alt_text(world, session):
    data = pdf_bytes(meeting_pack(by=world.users["coordinator"], meeting=session, audience=COORDINATOR))
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    kinds, alts = _structure(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/Figure"} <= kinds
    assert any("Entonnoir" in alt for alt in alts)


def _structure(node, kinds=None, alts=None):
    kinds = set() if kinds is None else kinds
    alts = [] if alts is None else alts
    node = node.get_object()
    if hasattr(node, "get"):
        if "/S" in node:
            kinds.add(str(node["/S"]))
        if "/Alt" in node:
            alts.append(str(node["/Alt"]))
        children = node.get("/K")
        if children is not None:
            for child in children if isinstance(children, list) else [children]:
                if hasattr(child, "get_object"):
                    _structure(child, kinds, alts)
    elif isinstance(node, list):
        for child in node:
            _structure(child, kinds, alts)
    return kinds, alts


def test_a_coming_meeting_has_a_provisional_pack_refreshed_once_a_day(world, session):
    coordinator = world.users["coordinator"]
    coming = meeting(session.instance, days=5, title="COPIL de printemps")
    first = meeting_pack(by=coordinator, meeting=coming, audience=COORDINATOR)
    assert first.provisional
    again = meeting_pack(by=coordinator, meeting=coming, audience=COORDINATOR)
    assert again.pack.snapshot_id == first.pack.snapshot_id  # same day: the same figures
    Snapshot.objects.filter(pk=first.pack.snapshot_id).update(taken_at=timezone.now() - dt.timedelta(days=1))
    people(world, 2, days_ago=1)
    later = meeting_pack(by=coordinator, meeting=coming, audience=COORDINATOR)
    assert later.pack.pk == first.pack.pk and later.pack.snapshot_id != first.pack.snapshot_id
    spotted = next(i for i in later.indicators if i.id == "spotted")
    assert spotted.now == "2"  # the 8 of the fixture were spotted before the COPIL d'hiver
