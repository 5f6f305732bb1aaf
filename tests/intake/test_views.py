"""The import screens through HTTP, as a referent uses them: upload, preview and errors, mapping fix, exclusion,
confirmation, sorted result, « Repérer ces personnes », report download, undo."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from citemploi.intake.models import ColumnMapping, Import, ImportRow, State
from citemploi.pathways.models import Person
from tests.intake import samples
from tests.intake.conftest import committed, table_counts


def _post_file(client, world, path, source="Export I-Milo"):
    with committed(), path.open("rb") as handle:
        return client.post(reverse("intake:upload"), {
            "kind": "people", "structure": world.relais.pk, "source": source, "file": handle,
        })  # fmt: skip


def test_upload_preview_fix_mapping_confirm_spot_report_undo(world, clients, territory, tmp_path):
    headers, rows = samples.as_rows("Export I-Milo", samples.people(30))
    headers[headers.index("Prénom")] = "Prénom usuel du jeune"  # not recognised: the user maps it by hand
    rows[4][headers.index("Date de naissance")] = "45/13/2001"
    rows[6][headers.index("Nom")] = (
        '=HYPERLINK("http://exemple.test")'  # a formula in a cell: text, neutralised in the report
    )
    path = samples.write_xlsx(tmp_path / "imilo.xlsx", headers, rows)
    before = table_counts()
    client = clients["referent"]
    response = _post_file(client, world, path)
    assert response.status_code == 302
    batch = Import.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Colonne obligatoire non associée : Prénom." in page
    form = {f"col_{k}": v for k, v in batch.mapping.items()} | {"col_first_name": "Prénom usuel du jeune",
                                                                   "source": "Export I-Milo"}  # fmt: skip
    with committed():
        assert client.post(reverse("intake:mapping", args=[batch.public_id]), form).status_code == 302
    assert ColumnMapping.objects.get(structure=world.relais, source="Export I-Milo").columns["first_name"]
    page = client.get(reverse("intake:detail", args=[batch.public_id])).content.decode()
    assert "Date de naissance" in page and '<th scope="row">6</th>' in page  # the error of line 6, by column
    client.post(reverse("intake:exclude", args=[batch.public_id]), {"lines": "3"})
    assert ImportRow.objects.get(batch=batch, line=3).excluded
    with committed():
        assert client.post(reverse("intake:confirm", args=[batch.public_id])).status_code == 302
    page = client.get(reverse("intake:detail", args=[batch.public_id])).content.decode()
    assert "Repérer ces personnes" in page and "Dans un QPV, non suivie" in page
    assert Person.objects.count() == 0
    client.post(reverse("intake:spot", args=[batch.public_id]))
    batch.refresh_from_db()
    assert batch.state == State.IMPORTED and Person.objects.count() == batch.counts["created"] > 0
    report = client.get(reverse("intake:report", args=[batch.public_id, "csv"]))
    lines = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:2] == ["Feuille", "Ligne"] and len(lines) == 31
    assert any(cell.startswith("'=HYPERLINK") for line in lines for cell in line)
    assert client.get(reverse("intake:report", args=[batch.public_id, "xlsx"])).status_code == 200
    assert clients["colleague"].post(reverse("intake:undo", args=[batch.public_id])).status_code == 403
    clients["coordinator"].post(reverse("intake:undo", args=[batch.public_id]))
    assert Import.objects.get().state == State.CANCELLED
    assert table_counts() == before


def test_an_outsider_sees_neither_the_import_nor_it_in_the_list(world, clients, territory, imilo_file):
    _post_file(clients["referent"], world, imilo_file)
    batch = Import.objects.get()
    assert clients["outsider"].get(reverse("intake:detail", args=[batch.public_id])).status_code == 404
    assert batch.original_name not in clients["outsider"].get(reverse("intake:list")).content.decode()
    assert batch.original_name in clients["coordinator"].get(reverse("intake:list")).content.decode()


def test_the_list_query_count_does_not_grow_with_imports(world, clients, max_queries):
    from django.utils import timezone

    def add(n):
        for _ in range(n):
            Import.objects.create(kind="people", structure=world.relais, created_by=world.users["referent"],
                                  original_name="x.csv", sha256="0" * 64, file_expires_at=timezone.now())  # fmt: skip

    add(2)
    with max_queries(30) as small:
        clients["referent"].get(reverse("intake:list"))
    add(20)
    with max_queries(len(small.captured_queries)):
        clients["referent"].get(reverse("intake:list"))
