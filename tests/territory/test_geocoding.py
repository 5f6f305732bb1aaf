"""Geocoding: the local BAN back-end (normalisation, fuzzy street) and the BAN API back-end (fake local server)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citemploi.territory.geocoding import GeocoderError, geocode
from citemploi.territory.geocoding_api import BanApiGeocoder
from citemploi.territory.geocoding_local import normalize, parse
from citemploi.territory.models import BanAddress
from citemploi.territory.services import address_locate
from tests.territory.conftest import SAINT_ETIENNE


def test_normalisation():
    assert normalize("Av. J.-Jaurès") == "avenue j jaures"
    assert normalize("BD  de l'Europe") == "boulevard de l europe"
    assert normalize("Chem. de St-Just") == "chemin de saint just"
    assert normalize("Imp des Mineurs") == "impasse des mineurs"
    parsed = parse("12 bis av de la Libération 42000 Saint-Étienne")
    assert (parsed.number, parsed.rep, parsed.street, parsed.postcode, parsed.city) == (
        12, "bis", "avenue de la liberation", "42000", "saint etienne",
    )  # fmt: skip


@pytest.fixture
def local_ban(db, ban_file, settings):
    settings.GEOCODER = "ban_local"
    call_command("ban", "import", str(ban_file))
    return ban_file


def test_ban_import_is_idempotent(local_ban, capsys):
    call_command("ban", "import", str(local_ban))
    assert "6 ligne(s) lue(s), 6 adresse(s) chargées" in capsys.readouterr().out
    assert BanAddress.objects.count() == 6


def test_ban_import_refuses_another_file(tmp_path, db):
    path = tmp_path / "autre.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="n'est pas un fichier de la BAN"):
        call_command("ban", "import", str(path))


def test_local_geocoder_matches_number_repetition_and_abbreviations(local_ban):
    result = geocode("12 bis av. de la Libération", postcode="42000")
    assert result.label == "12 bis Avenue de la Libération 42000 Saint-Étienne"
    assert (result.lon, result.lat, result.insee_code, result.score, result.needs_check) == (
        *SAINT_ETIENNE,
        "42218",
        1.0,
        False,
    )
    assert geocode("12 avenue de la liberation 42000 saint etienne").label.startswith("12 Avenue")
    assert geocode("7 chem de st just", city="Saint-Étienne").insee_code == "42218"
    assert geocode("5 imp. des mineurs La Ricamarie").city == "La Ricamarie"  # commune found at the end of the text


def test_local_geocoder_scores_approximations_as_to_check(local_ban):
    typo = geocode("3 bd jules janain", postcode="42000")
    assert typo.label.startswith("3 Boulevard Jules Janin") and typo.score < 1
    unknown_number = geocode("99 avenue de la Libération", postcode="42000")
    assert unknown_number.needs_check and unknown_number.level == "street"
    assert unknown_number.lon == SAINT_ETIENNE[0] + 0.0002  # at the nearest existing number (14)
    unknown_street = geocode("rue totalement inconnue", postcode="42000")
    assert unknown_street.needs_check and unknown_street.level == "municipality"


def test_address_locate_geocodes_then_locates(local_ban, perimeters_file):
    call_command("qpv", "import", str(perimeters_file))
    result, answer = address_locate("12 bis avenue de la Libération", postcode="42000")
    assert result.insee_code == "42218" and answer.status == "in" and answer.qpv_code == "QN04211M"
    result, answer = address_locate("nulle part", postcode="42000")
    assert result is None and answer.status == "error" and "seule la commune" in answer.message


class FakeBan(BaseHTTPRequestHandler):
    """The two endpoints of the BAN API, answering like the real service; fails the first request when asked."""

    fail_first = False
    requests: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        FakeBan.requests.append(self.path)
        if FakeBan.fail_first and len(FakeBan.requests) == 1:
            return self._send(503, b"busy", "text/plain")
        if "Introuvable" in self.path:
            return self._send(200, json.dumps({"features": []}).encode(), "application/json")
        feature = {
            "geometry": {"type": "Point", "coordinates": list(SAINT_ETIENNE)},
            "properties": {"label": "12 Avenue de la Libération 42000 Saint-Étienne", "score": 0.93, "citycode": "42218",
                           "postcode": "42000", "city": "Saint-Étienne", "type": "housenumber"},
        }  # fmt: skip
        self._send(200, json.dumps({"features": [feature]}).encode(), "application/json")

    def do_POST(self):
        FakeBan.requests.append(self.path)
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length).decode()
        lines = [line for line in body.splitlines() if line[:1].isdigit()]
        out = "id,adresse,postcode,city,latitude,longitude,result_label,result_score,result_type,result_citycode,result_postcode,result_city,result_status\n"
        for line in lines:
            rid = line.split(",")[0]
            if "nulle" in line:
                out += f"{rid},nulle part,,,,,,,,,,,not-found\n"
            else:
                out += f"{rid},x,42000,,{SAINT_ETIENNE[1]},{SAINT_ETIENNE[0]},12 Avenue de la Libération,0.55,housenumber,42218,42000,Saint-Étienne,ok\n"
        self._send(200, out.encode(), "text/csv")


@pytest.fixture
def fake_ban(settings):
    FakeBan.requests = []
    FakeBan.fail_first = False
    server = HTTPServer(("127.0.0.1", 0), FakeBan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER = "ban_api"
    settings.BAN_API_URL = f"http://127.0.0.1:{server.server_port}"
    settings.BAN_API_MIN_INTERVAL = 0
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_api_single_search(fake_ban):
    result = geocode("12 av de la Libération", postcode="42000")
    assert (result.insee_code, result.score, result.needs_check) == ("42218", 0.93, False)
    assert FakeBan.requests[0].startswith("/search/?q=12+av+de+la+Lib")
    assert geocode("Introuvable", postcode="42000") is None


def test_api_retries_a_busy_service(fake_ban):
    FakeBan.fail_first = True
    assert geocode("12 av de la Libération 42000").insee_code == "42218"
    assert len(FakeBan.requests) == 2


def test_api_batch_csv_endpoint(fake_ban):
    results = BanApiGeocoder().geocode_many([("12 av de la Libération", "42000", ""), ("nulle part", "", "")])
    assert results[0].needs_check and results[0].score == 0.55  # below GEOCODE_MIN_SCORE
    assert results[1] is None
    assert FakeBan.requests == ["/search/csv/"]


def test_api_unreachable_is_a_clear_error(db, settings):
    settings.GEOCODER = "ban_api"
    settings.BAN_API_URL = "http://127.0.0.1:9"  # discard port: connection refused, no network involved
    settings.BAN_API_RETRIES = 0
    with pytest.raises(GeocoderError, match="ne répond pas"):
        geocode("12 rue de la Paix 42000")
