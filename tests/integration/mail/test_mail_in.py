"""Mail in, as a mail server delivers it: `mail receive` run as a pipe with the raw bytes, and
`mail fetch` against a real IMAP server (dovecot). What a customer and the staff would see."""
from __future__ import annotations

import base64
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.mailin.models import InboundMail
from portal.tickets.models import Attachment, Message, Ticket
from tests import factories
from tests import mailcorpus as corpus

JST = ZoneInfo("Asia/Tokyo")
# Friday 20 November 2026, 16:30 JST; Monday 23 November is a holiday (勤労感謝の日)
FRIDAY = ("Received: from mail.acme.example (mail.acme.example [192.0.2.10])\r\n"
          "\tby mx.provider.example (Postfix) with ESMTPS id 7F00AA\r\n"
          "\tfor <support@provider.example>; Fri, 20 Nov 2026 16:30:00 +0900 (JST)\r\n")


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _windows_incident(message_id: str = "<20261120163000.1@acme.example>") -> bytes:
    return corpus.outlook_iso_2022_jp(message_id).replace(
        corpus.RECEIVED.encode(), FRIDAY.encode())


def _utf8(subject: str, body: str, sender: str = "contact@acme.example", **headers) -> bytes:
    values = {"From": sender, "To": "support@provider.example",
              "Subject": "=?UTF-8?B?" + base64.b64encode(subject.encode()).decode() + "?=",
              "Content-Type": "text/plain; charset=utf-8", **headers}
    return corpus.message(values, body.encode(), received=FRIDAY)


def _tickets() -> list[Ticket]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ticket).order_by(Ticket.id)))


def test_windows_mail_files_an_incident_due_by_business_hours_with_every_character_right(
        people, flask_command):
    done = flask_command("mail", "receive", stdin=_windows_incident())
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "filed ACME-1"
    [ticket] = _tickets()
    assert ticket.subject == corpus.SUBJECT
    assert "①番サーバーが１６時から応答しません。" in ticket.body
    assert (ticket.kind, ticket.severity, ticket.source) == ("incident", "B", "email")
    assert ticket.requester.email == "contact@acme.example"
    assert ticket.received_at == datetime(2026, 11, 20, 16, 30, tzinfo=JST)
    # severity B: 2 business hours — 30 minutes on Friday, the holiday skipped, 90 on Tuesday
    assert ticket.response_due_at == datetime(2026, 11, 24, 10, 30, tzinfo=JST)


def test_a_mailed_request_gets_the_same_filing_receipt_as_the_form(
        people, mail_command, smtp_server):
    from portal.notifications.services import drain_outbox

    assert mail_command("receive", stdin=_windows_incident()).returncode == 0
    drain_outbox()
    [receipt] = [m for m in smtp_server.messages if m["To"] == "contact@acme.example"]
    assert receipt["Subject"].startswith("[ACME-1] 依頼 ACME-1 を受け付けました：")
    text = receipt.get_content()
    assert "初回回答期限: 2026年11月24日 10:30 JST" in text
    assert "深刻度 B" in text and "月間の受付件数内：5 件中 1 件目です。" in text


def test_a_long_japanese_subject_is_shortened_at_a_phrase_and_kept_whole_in_the_request(
        people, mail_command, client):
    phrase = "本番環境の仮想マシン vm-web-{n:02d} が夜間バッチの後に応答しなくなり、"
    subject = "".join(phrase.format(n=n) for n in range(1, 9)) + "至急ご確認ください。"
    assert len(subject) > 300
    done = mail_command("receive", stdin=_utf8(subject, "ログを添付します。\n山田"))
    assert done.stdout.decode().strip() == "filed ACME-1"
    [ticket] = _tickets()
    assert len(ticket.subject) <= 200 and ticket.subject.endswith("、…")
    assert subject.startswith(ticket.subject.removesuffix("…"))  # whole phrases, cut after 、
    assert ticket.body == f"{subject}\n\nログを添付します。\n山田"
    client.login("contact@acme.example")
    page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert "至急ご確認ください。" in page


def test_the_receipt_suggests_the_published_vpn_article_never_another_organisations(
        people, mail_command, smtp_server):
    from portal.notifications.services import drain_outbox
    from tests.integration.knowledge.helpers import VPN_JA, article

    vpn = article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1],
                  title_en="When the VPN does not connect", body_en="Check the certificate.")
    kitsune = article(people["staff"], title_ja="北狐の VPN 接続手順", body_ja="北狐の VPN に接続します。",
                      organizations=[people["kitsune"]])
    article(people["staff"], title_ja="VPN の下書き", body_ja="VPN に接続できない時の下書き",
            published=False)
    assert mail_command("receive", stdin=_utf8("VPN に接続できない", "朝から社外から入れません。"))\
        .stdout.decode().strip() == "filed ACME-1"
    people["acme_admin"].locale = "en"
    db.session.commit()
    assert mail_command("receive", stdin=_utf8("VPN connection fails", "Since this morning.",
                                               sender="admin@acme.example",
                                               **{"Message-ID": "<vpn.2@acme.example>"}))\
        .stdout.decode().strip() == "filed ACME-2"
    drain_outbox()
    [japanese] = [m for m in smtp_server.messages if m["To"] == "contact@acme.example"]
    text = japanese.get_content().replace("\r\n", "\n")
    assert "ナレッジの次の記事で解決できるかもしれません：" in text
    assert f"- {VPN_JA[0]}\n  https://portal.example.jp/knowledge/{vpn.id}\n" in text
    assert "北狐" not in text and f"/knowledge/{kitsune.id}" not in text and "下書き" not in text
    [english] = [m for m in smtp_server.messages if m["To"] == "admin@acme.example"]
    text = english.get_content().replace("\r\n", "\n")
    assert "These articles of the knowledge base may already answer your question:" in text
    assert f"- When the VPN does not connect\n  https://portal.example.jp/knowledge/{vpn.id}\n" in text
    assert f"/knowledge/{kitsune.id}" not in text
    # the restricted article is suggested to its own organisation
    assert mail_command("receive", stdin=_utf8("VPN に接続できない", "接続が切れます。",
                                               sender="contact@kitsune.example",
                                               **{"Message-ID": "<vpn.3@kitsune.example>"}))\
        .stdout.decode().strip().startswith("filed ")
    drain_outbox()
    [theirs] = [m for m in smtp_server.messages if m["To"] == "contact@kitsune.example"]
    assert f"/knowledge/{kitsune.id}\n" in theirs.get_content().replace("\r\n", "\n")


def test_the_same_mail_delivered_twice_files_once(people, mail_command):
    first = mail_command("receive", stdin=_windows_incident())
    again = mail_command("receive", stdin=_windows_incident())
    assert (first.returncode, again.returncode) == (0, 0)
    assert again.stdout.decode().strip() == "ignored: already received"
    assert len(_tickets()) == 1


@pytest.mark.parametrize("raw, line", [
    (corpus.out_of_office(), "ignored: automatic mail"),
    (_utf8("質問です", "教えてください。", sender="stranger@example.org"), "held: unknown sender"),
    (_utf8("質問です", "教えてください。", sender="contact@kitsune.example",
           **{"Subject": "=?UTF-8?B?" + base64.b64encode("Re: [ACME-1] 横から".encode()).decode()
              + "?="}), "held: a reply to another organisation's request"),
], ids=["out-of-office", "stranger", "other-organisation-reply"])
def test_mail_that_must_not_file_waits_for_review(people, mail_command, raw, line):
    mail_command("receive", stdin=_windows_incident())
    done = mail_command("receive", stdin=raw)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == line
    assert len(_tickets()) == 1
    db.session.expire_all()
    row = db.session.scalars(select(InboundMail).order_by(InboundMail.id.desc())).first()
    assert row.status in ("held", "ignored") and row.ticket_id is None


def test_a_forged_sender_is_held_when_the_receiving_server_says_dmarc_failed(people, mail_command):
    forged = _utf8("[深刻度 B] 至急", "止まっています。", **{
        "Authentication-Results": "mx.provider.example; dmarc=fail header.from=acme.example; "
                                  "spf=fail smtp.mailfrom=acme.example"})
    genuine = _utf8("[深刻度 B] 本物", "止まっています。", **{
        "Message-ID": "<genuine@acme.example>",
        "Authentication-Results": "mx.provider.example; dmarc=pass header.from=acme.example"})
    claimed = _utf8("[深刻度 B] 自称", "止まっています。", **{
        "Message-ID": "<claimed@acme.example>",  # a header the sender wrote, not our server
        "Authentication-Results": "mx.attacker.example; dmarc=pass header.from=acme.example"})
    trust = {"PORTAL_MAIL_TRUSTED_AUTHSERV_ID": "mx.provider.example"}
    lines = [mail_command("receive", stdin=raw, **trust).stdout.decode().strip()
             for raw in (forged, genuine, claimed)]
    assert lines == ["held: sender authentication failed", "filed ACME-1",
                     "held: sender authentication failed"]


def test_a_reply_by_mail_lands_in_the_thread(people, mail_command):
    mail_command("receive", stdin=_windows_incident())
    reply = _utf8("Re: [ACME-1] ①番サーバーが停止", "再起動しましたが直りません。\r\n\r\n"
                  "-----Original Message-----\r\n差出人: サポート\r\n", **{
                      "Message-ID": "<reply.1@acme.example>"})
    done = mail_command("receive", stdin=reply)
    assert done.stdout.decode().strip() == "added to ACME-1"
    [ticket] = _tickets()
    messages = db.session.scalars(select(Message).where(Message.ticket_id == ticket.id)).all()
    assert [m.body.splitlines()[0] for m in messages] == ["再起動しましたが直りません。"]
    assert "-----Original Message-----" in messages[0].body  # the history is kept, not lost


def test_with_the_database_down_the_mail_server_is_told_to_retry(people, flask_command):
    down = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"
    done = flask_command("mail", "receive", stdin=_windows_incident(), PORTAL_DATABASE_URL=down)
    assert done.returncode == 75
    assert done.stdout == b""
    assert "try again" in done.stderr.decode()


def test_mail_fetch_takes_in_the_mailbox_over_starttls_and_moves_what_it_processed(
        people, mail_command, imap_server):
    imap_server.deliver(_windows_incident())
    imap_server.deliver(corpus.with_attachments())
    imap_server.deliver(corpus.out_of_office())
    done = mail_command("fetch", "--once", PORTAL_IMAP_URL=imap_server.url,
                         SSL_CERT_FILE=imap_server.ca_file)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "filed=2 ignored=1"
    assert (imap_server.count("INBOX"), imap_server.count("Processed")) == (0, 3)
    tickets = _tickets()
    assert [t.subject for t in tickets] == [corpus.SUBJECT, "Log attached"]
    files = db.session.scalars(select(Attachment.filename).where(Attachment.ticket_id == tickets[1].id))
    assert set(files) == {"障害ログ①.log", "attachment-1.png"}
    again = mail_command("fetch", "--once", PORTAL_IMAP_URL=imap_server.url,
                          SSL_CERT_FILE=imap_server.ca_file)
    assert again.stdout.decode().strip() == "none"


def test_mail_fetch_refuses_a_server_whose_certificate_it_cannot_trust(
        people, mail_command, imap_server):
    imap_server.deliver(_windows_incident())
    done = mail_command("fetch", "--once", PORTAL_IMAP_URL=imap_server.url)
    assert done.returncode != 0
    assert "CERTIFICATE_VERIFY_FAILED" in done.stderr.decode()
    assert imap_server.count("INBOX") == 1 and _tickets() == []


def test_request_mail_threads_and_its_reply_lands_in_the_request(
        app, people, mail_command, smtp_server):
    """The staff's answer carries [ACME-1], Reply-To the intake address and a Message-ID in the
    request's thread; the customer answers it from a mail client that drops the subject tag,
    and the reply still lands in ACME-1, found through In-Reply-To."""
    from portal.notifications.services import drain_outbox
    from portal.tickets import services

    app.config["MAIL_INTAKE_ADDRESS"] = "support@provider.example"
    try:
        mail_command("receive", stdin=_windows_incident(),
                      PORTAL_MAIL_INTAKE_ADDRESS="support@provider.example")
        [ticket] = _tickets()
        services.add_message(ticket, people["staff"], "再起動をお試しください。")
        db.session.commit()
        drain_outbox()
    finally:
        app.config["MAIL_INTAKE_ADDRESS"] = ""
    answer = next(m for m in smtp_server.messages if m["To"] == "contact@acme.example"
                  and "再起動をお試しください。" in m.get_content())
    assert answer["Subject"].startswith("[ACME-1] ")
    assert answer["Reply-To"] == "support@provider.example"
    assert "Auto-Submitted" not in answer  # a person wrote it
    assert answer["In-Reply-To"] == answer["References"] != answer["Message-ID"]
    status_mail = [m for m in smtp_server.messages if m["Auto-Submitted"] == "auto-generated"]
    assert all(m["References"] == answer["References"] for m in status_mail
               if "[ACME-1]" in m["Subject"])
    reply = _utf8("Re: 再起動について", "直りました。", **{
        "Message-ID": "<reply.2@acme.example>", "In-Reply-To": answer["Message-ID"],
        "References": f"{answer['References']} {answer['Message-ID']}"})
    done = mail_command("receive", stdin=reply)
    assert done.stdout.decode().strip() == "added to ACME-1"
    altered = _utf8("Re: 再起動について", "別件です。", **{
        "Message-ID": "<reply.3@acme.example>",
        "In-Reply-To": answer["Message-ID"].replace(".", "x", 1)})
    assert mail_command("receive", stdin=altered).stdout.decode().startswith("filed")


def test_staff_review_a_strangers_mail_and_file_it_for_the_right_contact(
        client, other_client, people, mail_command):
    stranger = _utf8("[深刻度 B] 自宅から失礼します", "会社のメールが使えないため自宅から送ります。",
                     sender="yamada.home@example.org", **{"Message-ID": "<home.1@example.org>"})
    assert mail_command("receive", stdin=stranger).stdout.decode().strip() == \
        "held: unknown sender"
    other_client.login("contact@acme.example")
    assert other_client.get("/backoffice/mail").status_code == 403  # customers never see it
    client.login("staff@provider.example")
    listing = client.get("/backoffice/mail").get_data(as_text=True)
    assert "yamada.home@example.org" in listing and "未登録の差出人" in listing
    row = db.session.scalar(select(InboundMail))
    page = client.get(f"/backoffice/mail/{row.id}").get_data(as_text=True)
    assert "会社のメールが使えないため自宅から送ります。" in page
    assert "Message-ID: &lt;home.1@example.org&gt;" in page  # the raw source, escaped
    url = f"/backoffice/mail/{row.id}"
    wrong = client.post(url, {"action": "file", "email": "nobody@acme.example"}, csrf_from=url)
    assert wrong.status_code == 422
    assert "このアドレスの有効なお客様アカウントはありません。" in wrong.get_data(as_text=True)
    assert 'value="nobody@acme.example"' in wrong.get_data(as_text=True)  # the form as typed
    done = client.post(url, {"action": "file", "email": "contact@acme.example"}, csrf_from=url)
    assert done.status_code == 302
    [ticket] = _tickets()
    assert (ticket.number, ticket.severity, ticket.requester.email) == (
        "ACME-1", "B", "contact@acme.example")
    db.session.expire_all()
    assert db.session.get(InboundMail, row.id).status == "filed"
    again = client.post(url, {"action": "discard"}, csrf_from=url)
    assert again.status_code == 422 and len(_tickets()) == 1


def test_a_stranger_gets_one_polite_bilingual_answer_a_day(people, mail_command, smtp_server):
    from datetime import timedelta

    from portal.notifications.services import drain_outbox

    for number in range(3):
        raw = _utf8("質問", "教えてください。", sender="stranger@example.org",
                    **{"Message-ID": f"<stranger.{number}@example.org>"})
        assert mail_command("receive", stdin=raw).stdout.decode().strip() == \
            "held: unknown sender"
    drain_outbox()
    answers = [m for m in smtp_server.messages if m["To"] == "stranger@example.org"]
    assert len(answers) == 1
    text = answers[0].get_content()
    assert "登録されていません" in text and "not registered" in text
    assert answers[0]["Auto-Submitted"] == "auto-generated"  # no robot answers it back
    # a day later the same address may be told once more
    for row in db.session.scalars(select(InboundMail)):
        row.taken_at -= timedelta(days=1, minutes=1)
        row.answered_at = row.answered_at and row.answered_at - timedelta(days=1, minutes=1)
    db.session.commit()
    mail_command("receive", stdin=_utf8("質問", "再送", sender="stranger@example.org",
                                                  **{"Message-ID": "<stranger.9@example.org>"}))
    drain_outbox()
    assert len([m for m in smtp_server.messages if m["To"] == "stranger@example.org"]) == 2


def test_an_overage_question_by_mail_waits_for_the_fee_and_files_when_confirmed(
        client, people, mail_command, smtp_server):
    import re

    from portal.notifications.services import drain_outbox

    clock.travel_to(datetime(2026, 11, 20, 16, 31, tzinfo=JST))  # the mails come in on Friday
    for number in range(5):  # the five included requests of November
        raw = _utf8(f"質問 {number}", "教えてください。",
                    **{"Message-ID": f"<q.{number}@acme.example>"})
        assert mail_command("receive", stdin=raw).stdout.decode().startswith("filed")
    sixth = _utf8("6 件目の質問", "教えてください。", **{"Message-ID": "<q.6@acme.example>"})
    done = mail_command("receive", stdin=sixth)
    assert done.stdout.decode().strip() == "held: awaiting the overage fee's acknowledgement"
    assert len(_tickets()) == 5
    drain_outbox()
    [notice] = [m for m in smtp_server.messages if "超過料金" in m["Subject"]]
    text = notice.get_content()
    assert "6 件目" in text and "￥20,000" in text.replace("¥", "￥")
    link = re.search(r"https://portal\.example\.jp(/mail/confirm/\S+)", text).group(1)
    clock.travel_to(datetime(2026, 11, 20, 17, 0, tzinfo=JST))  # confirmed the same evening
    assert client.get(link[:-2] + "xx").status_code == 410  # an altered link files nothing
    page = client.get(link)
    assert page.status_code == 200 and "6 件目の質問" in page.get_data(as_text=True)
    filed = client.post(link, {}, csrf_from=link)
    assert filed.status_code == 200
    assert "ACME-6" in filed.get_data(as_text=True)
    tickets = _tickets()
    assert len(tickets) == 6 and tickets[-1].overage and tickets[-1].source == "email"
    assert tickets[-1].received_at == datetime(2026, 11, 20, 17, 0, tzinfo=JST)  # when confirmed
    assert client.post(link, {}, csrf_from="/login").status_code == 410  # once only
    smtp_server.messages.clear()
    drain_outbox()
    [receipt] = [m for m in smtp_server.messages if "受け付けました" in m["Subject"]]
    assert "超過：今月 6 件目の依頼のため" in receipt.get_content()  # one receipt, once filed


def test_a_fee_confirmation_link_lapses_after_seven_days_by_the_portal_clock(
        client, people, mail_command, smtp_server):
    import re

    from portal.notifications.services import drain_outbox

    clock.travel_to(datetime(2026, 11, 20, 16, 31, tzinfo=JST))
    for number in range(5):
        mail_command("receive", stdin=_utf8(f"質問 {number}", "教えてください。",
                                            **{"Message-ID": f"<l.{number}@acme.example>"}))
    mail_command("receive", stdin=_utf8("6 件目", "教えてください。",
                                        **{"Message-ID": "<l.6@acme.example>"}))
    drain_outbox()
    [notice] = [m for m in smtp_server.messages if "超過料金" in m["Subject"]]
    link = re.search(r"https://portal\.example\.jp(/mail/confirm/\S+)", notice.get_content()).group(1)
    clock.travel_to(datetime(2026, 11, 28, 9, 0, tzinfo=JST))  # eight days on, no lapse job run
    assert client.get(link).status_code == 410
    assert len(_tickets()) == 5


def test_the_thread_folds_the_quoted_history_of_a_mailed_reply(client, people, mail_command):
    mail_command("receive", stdin=_windows_incident())
    reply = _utf8("Re: [ACME-1] 停止", "ログを送ります。\r\n\r\n-----Original Message-----\r\n"
                  "差出人: サポート\r\n再起動をお試しください。\r\n", **{"Message-ID": "<fold@acme.example>"})
    mail_command("receive", stdin=reply)
    client.login("contact@acme.example")
    page = client.get(f"/requests/{_tickets()[0].id}").get_data(as_text=True)
    thread = page[page.index('id="thread"'):]
    assert thread.index("ログを送ります。") < thread.index("<summary>引用された履歴</summary>") \
        < thread.index("再起動をお試しください。")


def test_mail_help_names_both_commands(_mail_app):
    import contextvars

    from portal import commands

    runner = _mail_app.test_cli_runner()
    done = contextvars.Context().run(runner.invoke, commands.mail, args=["--help"])
    assert done.exit_code == 0
    assert "receive" in done.output and "fetch" in done.output
