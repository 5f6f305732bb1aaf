"""The demo gives the 12 relais a year of reports (most validated, some returned, some missing), idempotently."""

from __future__ import annotations

import io

from citemploi.accounts.demo import load_demo_accounts
from citemploi.relais.demo import load_demo
from citemploi.relais.models import ActivityReport, ReportState


def test_demo_year_of_reports_is_idempotent(db):
    load_demo_accounts(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    first = ActivityReport.objects.count()
    load_demo(stdout=io.StringIO())
    assert ActivityReport.objects.count() == first
    assert ActivityReport.objects.values("relais").distinct().count() == 12
    assert 12 * 12 * 0.7 < first < 12 * 12  # some months missing
    states = set(ActivityReport.objects.values_list("state", flat=True))
    assert {ReportState.VALIDATED, ReportState.RETURNED} <= states
    assert not ActivityReport.objects.filter(state=ReportState.RETURNED, return_comment="").exists()
