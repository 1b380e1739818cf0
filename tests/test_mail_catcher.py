"""The development mail catcher: real SMTP in, files, pages and JSON out, refusals, bounces, SMS."""
import base64
import smtplib
import sys
import threading
import uuid
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
import requests
from aiosmtpd.controller import Controller

from deploy.local.infra import free_port, wait_for_port
from deploy.local.mail_catcher import MailCatcher
from deploy.local.processes import ProcessGroup

from .mailbox import Mailbox

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
BOUNCE_ADDRESS = "bounces@musterstadt.example"


def booking_email(to: str, subject: str = "Ihr Termin ist bestätigt") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Musterstadt <noreply@musterstadt.example>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<6f1c2a.musterstadt@loket.invalid>"
    message.set_content("Termin verwalten: http://127.0.0.1:8000/de/appointments/bookings/B1?token=t\n")
    message.add_alternative(
        '<!doctype html><html lang="de"><body><h1>Ihr Termin</h1>'
        '<p><a href="http://127.0.0.1:8000/de/appointments/bookings/B1?token=t">Verwalten</a>'
        '</p><script>parent.document.title = "owned"</script></body></html>', subtype="html")
    message.add_attachment(ICS, maintype="text", subtype="calendar", filename="termin.ics")
    return message


class Collector:
    """A real SMTP server (the bounce receiver's stand-in) that keeps what it gets."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.original_content))
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def catcher(tmp_path):
    """The catcher in this process, on free ports: refused*@ refused, bounce*@ bounced."""
    collector = Collector()
    relay = Controller(collector, hostname="127.0.0.1", port=free_port())
    relay.start()
    running = MailCatcher(tmp_path / "mail", free_port(), free_port(),
                          refuse=r"^refused(\+[^@]*)?@", bounce=r"^bounce(\+[^@]*)?@",
                          bounce_relay=f"127.0.0.1:{relay.port}")
    running.start()
    running.collector = collector
    running.url = f"http://127.0.0.1:{running.http.server_port}"
    yield running
    running.stop()
    relay.stop()


def send(catcher, message: EmailMessage, to: list[str]) -> dict:
    with smtplib.SMTP("127.0.0.1", catcher.smtp.port, timeout=10) as smtp:
        return smtp.send_message(message, from_addr=BOUNCE_ADDRESS, to_addrs=to)


def test_a_message_is_on_disk_when_the_server_says_250_and_the_api_gives_it_back(catcher):
    assert send(catcher, booking_email("anna@example.org"), ["anna@example.org"]) == {}
    files = list((catcher.store.root / "new").glob("*.eml"))  # kept before the 250
    assert len(files) == 1 and list((catcher.store.root / "tmp").iterdir()) == []
    listed = requests.get(catcher.url + "/api/messages", params={"to": "anna@example.org"},
                          timeout=5).json()["messages"]
    assert [item["subject"] for item in listed] == ["Ihr Termin ist bestätigt"]
    assert listed[0]["mail_from"] == BOUNCE_ADDRESS
    assert listed[0]["rcpt_to"] == ["anna@example.org"]
    assert listed[0]["attachments"] == [{"index": 0, "filename": "termin.ics",
                                         "content_type": "text/calendar", "size": len(ICS)}]
    assert requests.get(catcher.url + "/api/messages", params={"to": "ben@example.org"},
                        timeout=5).json()["messages"] == []
    details = requests.get(f"{catcher.url}/api/messages/{listed[0]['id']}", timeout=5).json()
    assert details["text"].startswith("Termin verwalten: http://127.0.0.1:8000/")
    assert "<h1>Ihr Termin</h1>" in details["html"]
    assert base64.b64decode(details["attachments"][0]["data"]) == ICS
    assert details["links"] == ["http://127.0.0.1:8000/de/appointments/bookings/B1?token=t"]
    assert ["Message-ID", "<6f1c2a.musterstadt@loket.invalid>"] in details["headers"]
    reparsed = BytesParser(policy=policy.default).parsebytes(details["raw"].encode())
    assert reparsed["Subject"] == "Ihr Termin ist bestätigt"
    assert files[0].read_bytes().endswith(details["raw"].encode())


def test_the_pages_list_and_show_a_message_with_its_html_sandboxed(catcher):
    send(catcher, booking_email("anna@example.org"), ["anna@example.org"])
    inbox = requests.get(catcher.url + "/", timeout=5)
    assert inbox.status_code == 200 and "Ihr Termin ist bestätigt" in inbox.text
    assert "anna@example.org" in inbox.text and "termin.ics" in inbox.text
    assert "script-src" not in inbox.headers["Content-Security-Policy"]  # no scripts at all
    (item,) = requests.get(catcher.url + "/api/messages", timeout=5).json()["messages"]
    page = requests.get(f"{catcher.url}/messages/{item['id']}", timeout=5)
    assert page.status_code == 200
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page.text
    assert 'srcdoc="&lt;base target=&#34;_blank&#34;&gt;&lt;!doctype html&gt;' in page.text
    assert "<script>" not in page.text  # the message's script is only escaped text
    assert "Termin verwalten: http://127.0.0.1:8000/" in page.text  # the text part
    download = requests.get(f"{catcher.url}/messages/{item['id']}/attachments/0", timeout=5)
    assert download.content == ICS
    assert download.headers["Content-Type"].startswith("text/calendar")
    assert download.headers["Content-Disposition"] == 'attachment; filename="termin.ics"'
    source = requests.get(f"{catcher.url}/messages/{item['id']}.eml", timeout=5)
    assert source.headers["Content-Type"] == "message/rfc822" and b"termin.ics" in source.content
    assert requests.get(f"{catcher.url}/messages/{item['id']}/attachments/5",
                        timeout=5).status_code == 404
    assert requests.get(f"{catcher.url}/messages/../../etc/passwd", timeout=5).status_code == 404


def test_a_refused_recipient_gets_550_5_1_1_and_the_others_their_mail(catcher):
    refused = send(catcher, booking_email("anna@example.org"),
                   ["refused@example.org", "anna@example.org"])
    assert refused["refused@example.org"][0] == 550
    assert refused["refused@example.org"][1].startswith(b"5.1.1")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(catcher, booking_email("refused+2@example.org"), ["refused+2@example.org"])
    (item,) = requests.get(catcher.url + "/api/messages", timeout=5).json()["messages"]
    assert item["rcpt_to"] == ["anna@example.org"]


def test_a_bounce_address_is_accepted_then_bounced_to_the_envelope_sender(catcher):
    assert send(catcher, booking_email("bounce@example.org"), ["bounce@example.org"]) == {}
    assert catcher.collector.arrived.wait(15), "no DSN reached the bounce relay"
    ((mail_from, rcpt_tos, data),) = catcher.collector.received
    assert mail_from == "<>" and rcpt_tos == [BOUNCE_ADDRESS]  # the null sender: no loops
    dsn = BytesParser(policy=policy.default).parsebytes(data)
    assert dsn.get_content_type() == "multipart/report"
    assert dsn.get_param("report-type") == "delivery-status"
    parts = list(dsn.iter_parts())
    assert [part.get_content_type() for part in parts] == [
        "text/plain", "message/delivery-status", "text/rfc822-headers"]
    per_message, per_recipient = parts[1].get_payload()
    assert per_message["Reporting-MTA"].startswith("dns; ")
    assert per_recipient["Final-Recipient"] == "rfc822; bounce@example.org"
    assert per_recipient["Action"] == "failed" and per_recipient["Status"] == "5.1.1"
    assert "Message-ID: <6f1c2a.musterstadt@loket.invalid>" in parts[2].get_content()
    mailbox = Mailbox(catcher.url)
    (bounced,) = mailbox.wait_for("bounce@example.org",
                                  where=lambda mail: bool(mail.summary["bounce"]))
    assert bounced.summary["bounce"]["state"] == "sent"
    # a bounce is never bounced (the null sender), and ordinary mail is not bounced
    with smtplib.SMTP("127.0.0.1", catcher.smtp.port, timeout=10) as smtp:
        smtp.sendmail("", ["bounce+2@example.org"],
                      booking_email("bounce+2@example.org").as_bytes(policy=policy.SMTP))
    send(catcher, booking_email("anna@example.org"), ["anna@example.org"])
    assert mailbox.wait_for_one("anna@example.org").summary["bounce"] is None
    for handler in catcher.handler.bounce_threads:
        handler.join(15)
    assert mailbox.wait_for_one("bounce+2@example.org").summary["bounce"] is None
    assert len(catcher.collector.received) == 1


def test_the_bounce_is_a_report_the_bounce_receiver_reads(catcher):
    dsn = pytest.importorskip("loket_notifications.delivery.dsn")
    channels = pytest.importorskip("loket_notifications.delivery.channels")
    message_id = str(uuid.uuid4())
    mail = booking_email("bounce+3@example.org")
    mail.replace_header("Message-ID", channels.message_id_header(message_id, "musterstadt"))
    send(catcher, mail, ["bounce+3@example.org"])
    assert catcher.collector.arrived.wait(15), "no DSN reached the bounce relay"
    ((_, _, data),) = catcher.collector.received
    (report,) = dsn.parse_dsn(data)
    assert (report.message_id, report.tenant, report.action, report.status,
            report.recipient) == (message_id, "musterstadt", "failed", "5.1.1",
                                  "bounce+3@example.org")


def test_the_fake_sms_provider_keeps_and_lists_each_sms(catcher):
    sent = requests.post(catcher.url + "/sms", json={
        "to": "+4915112345678", "text": "Ihr Termin morgen 09:00", "reference": "m-1"}, timeout=5)
    assert sent.status_code == 201 and sent.json()["status"] == "accepted"
    assert requests.post(catcher.url + "/sms", json={"text": "no number"},
                         timeout=5).status_code == 400
    assert requests.post(catcher.url + "/sms", data="not json", timeout=5).status_code == 400
    (sms,) = Mailbox(catcher.url).wait_for_sms("+4915112345678")
    assert (sms["id"], sms["text"], sms["reference"]) == (
        sent.json()["id"], "Ihr Termin morgen 09:00", "m-1")
    assert "Ihr Termin morgen 09:00" in requests.get(catcher.url + "/", timeout=5).text


def test_the_mailbox_helper_waits_for_mail_and_parses_it(catcher):
    mailbox = Mailbox(catcher.url)
    started = threading.Timer(0.5, send, (catcher, booking_email("dora@example.org"),
                                          ["dora@example.org"]))
    started.start()
    mail = mailbox.wait_for_one("dora@example.org", subject_contains="Termin", seconds=10)
    started.join()
    assert mail.mail_from == BOUNCE_ADDRESS and mail.recipients == ["dora@example.org"]
    assert mail.email["Message-ID"] == "<6f1c2a.musterstadt@loket.invalid>"
    assert mail.link("/bookings/B1") == "http://127.0.0.1:8000/de/appointments/bookings/B1?token=t"
    assert mail.attachment(".ics") == ICS and "<h1>Ihr Termin</h1>" in mail.html
    with pytest.raises(AssertionError, match="0 of 1 messages to chris@example.org"):
        mailbox.wait_for_one("chris@example.org", seconds=0.3)
    with pytest.raises(AssertionError, match="1 of 2 messages"):
        mailbox.wait_for("dora@example.org", count=2, seconds=0.3)
    mailbox.clear()
    assert mailbox.summaries() == []


def test_the_catcher_process_keeps_its_messages_across_a_restart(tmp_path):
    group = ProcessGroup(tmp_path / "log")
    smtp_port, http_port = free_port(), free_port()
    command = [sys.executable, "-m", "deploy.local.mail_catcher", "--smtp-port", str(smtp_port),
               "--http-port", str(http_port), "--dir", str(tmp_path / "mail")]
    try:
        for round_ in (1, 2):
            group.start("mail-catcher", command)
            wait_for_port("127.0.0.1", smtp_port, 20, "the mail catcher's SMTP server")
            wait_for_port("127.0.0.1", http_port, 20, "the mailbox")
            with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
                smtp.send_message(booking_email("ben@example.org", f"round {round_}"),
                                  from_addr=BOUNCE_ADDRESS, to_addrs=["ben@example.org"])
            mails = Mailbox(f"http://127.0.0.1:{http_port}").wait_for(
                "ben@example.org", count=round_, seconds=10)
            assert [mail.subject for mail in mails] == [f"round {n}" for n in range(1, round_ + 1)]
            group.stop_child("mail-catcher")
            assert group.dead() == [] and group.children == []
            with pytest.raises(OSError):
                smtplib.SMTP("127.0.0.1", smtp_port, timeout=2)  # down: refused
    finally:
        group.stop(timeout=2)
    log = (tmp_path / "log" / "mail-catcher.log").read_text()
    assert "ben@example.org" not in log  # no addresses in its log
