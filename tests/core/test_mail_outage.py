"""An SMTP outage never fails a request: the mail is stored, retried with a growing delay, sent once the server is
back, and only once (issue 9 item 12). The SMTP server is a real local socket: first closed, then a tiny server."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.core import mail as core_mail
from citemploi.core.models import OutboundMail
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.wfile.write(b"250 test\r\n")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.wfile.write(b"250 ok\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.received.append((recipients, data.decode()))  # type: ignore[attr-defined]
                recipients = []
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # MAIL, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings) -> Iterator[dict]:
    """The SMTP settings point at a port where nothing listens; ``start()`` opens a server there."""
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    state: dict = {"received": [], "server": None}

    def start() -> None:
        socketserver.TCPServer.allow_reuse_address = True
        server = socketserver.ThreadingTCPServer(("127.0.0.1", port), _SMTPHandler)
        server.received = state["received"]  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        state["server"] = server

    state["start"] = start
    yield state
    if state["server"] is not None:
        state["server"].shutdown()
        state["server"].server_close()


def test_handoff_succeeds_with_smtp_down_and_the_mail_leaves_once_it_is_back(
    world, clients, smtp, django_capture_on_commit_callbacks
):
    mission_locale = StructureFactory(mission_locale=True)
    world.users["ml_referent"] = user_with_role(Role.PARTNER_REFERENT, mission_locale, email="ml@exemple.test")
    person = make_person(by=world.users["referent"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = clients["referent"].post(
            "/api/v1/handoffs/",
            {"person": str(person.public_id), "to_structure": str(mission_locale.public_id), "reason": "CEJ"},
            content_type="application/json",
        )
    assert answer.status_code == 201
    stored = OutboundMail.objects.get()
    assert stored.recipient == world.users["ml_referent"].email and stored.sent_at is None
    assert stored.attempts == 1 and "Connection" in stored.last_error
    assert stored.next_attempt_at > timezone.now()  # rescheduled, not given up
    # Still down: the cron's attempt fails again, the delay grows.
    OutboundMail.objects.update(next_attempt_at=timezone.now())
    call_command("mail", "retry")
    stored.refresh_from_db()
    assert stored.attempts == 2 and stored.sent_at is None
    assert stored.next_attempt_at - timezone.now() > timedelta(minutes=1, seconds=50)
    # The server is back; once the delay has passed the cron sends it, once.
    smtp["start"]()
    call_command("mail", "retry")
    assert smtp["received"] == []  # not due yet
    OutboundMail.objects.update(next_attempt_at=timezone.now())
    call_command("mail", "retry")
    call_command("mail", "retry")
    assert len(smtp["received"]) == 1
    recipients, data = smtp["received"][0]
    assert recipients == [world.users["ml_referent"].email] and "orientation" in data.lower()
    stored.refresh_from_db()
    assert stored.sent_at is not None and stored.attempts == 3 and stored.body == ""


def test_a_mail_is_given_up_after_the_last_attempt(db, smtp):
    core_mail.mail_later(to=["a@exemple.test"], subject="Essai", body="Corps")
    row = OutboundMail.objects.get()
    for _ in range(core_mail.MAX_ATTEMPTS):
        OutboundMail.objects.update(next_attempt_at=timezone.now())
        assert core_mail.mail_deliver(row.pk) is False
    row.refresh_from_db()
    assert row.attempts == core_mail.MAX_ATTEMPTS and row.next_attempt_at is None and row.sent_at is None
    assert core_mail.mail_deliver(row.pk) is None  # no more attempts


def test_the_delay_doubles_up_to_six_hours():
    assert [core_mail._delay(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert core_mail._delay(12) == timedelta(hours=6)


def test_sent_mails_are_purged_after_30_days(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        core_mail.mail_later(to=["a@exemple.test", "", "b@exemple.test"], subject="Essai", body="Corps")
    assert [m.to for m in mailoutbox] == [["a@exemple.test"], ["b@exemple.test"]]
    assert mailoutbox[0].subject.endswith("] Essai")
    OutboundMail.objects.update(sent_at=timezone.now() - timedelta(days=31))
    call_command("mail", "purge")
    assert not OutboundMail.objects.exists()


def test_with_the_database_queue_a_refused_mail_is_queued_again_for_later(
    db, smtp, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        core_mail.mail_later(to=["a@exemple.test"], subject="Essai", body="Corps")
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [OutboundMail.objects.get().pk]
    core_mail.mail_send.call(*task.args_kwargs["args"])  # what the worker runs: the attempt is refused…
    row = OutboundMail.objects.get()
    assert row.attempts == 1 and row.sent_at is None
    deferred = DBTaskResult.objects.exclude(pk=task.pk).get()  # …and a new attempt is queued for later
    assert deferred.run_after == row.next_attempt_at
