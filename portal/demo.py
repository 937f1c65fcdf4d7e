"""Demo data for a first look: two customer organisations, their people, provider staff,
requests with a thread, a maintenance notice, a canned reply and knowledge-base articles."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from portal.accounts import services
from portal.accounts.models import Organization, Role, SecondFactor
from portal.core import clock
from portal.db import db

DEMO_PASSWORD = "madoguchi-demo"
# Provider staff must pass a second factor: the demo's staff share this authenticator key (add
# it to any authenticator app, or print the current code with the command `seed` prints).
DEMO_TOTP_SECRET = "MADOGUCHIDEMOSTAFFTOTPKEY234567A"
ORGANIZATIONS = (
    ("acme", "株式会社アクメ商事", 5, 20000),
    ("kitsune", "北狐システムズ株式会社", 5, 25000),
)
PEOPLE = (
    ("admin@acme.example", "山田 花子", Role.CUSTOMER_ADMIN, "acme", "ja"),
    ("contact@acme.example", "佐藤 一郎", Role.CONTACT, "acme", "ja"),
    ("en.contact@acme.example", "Emily Clark", Role.CONTACT, "acme", "en"),
    ("admin@kitsune.example", "鈴木 健", Role.CUSTOMER_ADMIN, "kitsune", "ja"),
    ("contact@kitsune.example", "高橋 美咲", Role.CONTACT, "kitsune", "ja"),
    ("staff@madoguchi.example", "田中 サポート", Role.STAFF, None, "ja"),
    ("admin@madoguchi.example", "伊藤 管理", Role.STAFF_ADMIN, None, "ja"),
)
REQUESTS = (  # (requester, kind, severity, subject, body, reply)
    ("contact@acme.example", "question", None, "ユーザーの一括登録方法について",
     "CSV でユーザーを一括登録する手順を教えてください。", "手順書を添付いたします。ご確認ください。"),
    ("contact@acme.example", "incident", "B", "メール送信が遅延する",
     "本日 9 時頃から社外宛てメールの送信に 10 分以上かかります。", None),
    ("en.contact@acme.example", "incident", "C", "Calendar sync shows duplicates",
     "Some users see duplicated meetings in their calendar.", None),
    ("contact@kitsune.example", "incident", "A", "基幹システムにログインできない",
     "全社員がログインできず、受注業務が止まっています。", "調査を開始しました。状況を随時ご連絡します。"),
)


def seed() -> list[str]:
    """Create the demo data and return the lines to print (the logins)."""
    if db.session.scalar(select(Organization.id).limit(1)) is not None:
        return ["The database already has data: nothing was added."]
    from portal.workshops.fees import local_date

    today = local_date(clock.now())  # the portal's clock, which tests travel
    orgs = {
        slug: services.create_organization(
            slug, name, included=included, overage_price=price,
            term_start=today.replace(month=1, day=1), term_end=date(today.year + 1, 3, 31))
        for slug, name, included, price in ORGANIZATIONS
    }
    people = {email: services.create_user(email, name, role, organization=orgs.get(slug),
                                          locale=locale, password=DEMO_PASSWORD)
              for email, name, role, slug, locale in PEOPLE}
    for person in people.values():
        if person.is_staff:
            db.session.add(SecondFactor(user_id=person.id, kind="totp", name="TOTP",
                                        secret=DEMO_TOTP_SECRET))
    _history(people)
    _requests(people)
    _back_office(people["staff@madoguchi.example"])
    _features()
    from portal.knowledge.demo import seed_articles

    seed_articles(people["staff@madoguchi.example"], orgs)
    db.session.commit()
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {role.value:<15} {email}" for email, _n, role, _s, _l in PEOPLE]
    lines += ["Provider staff also enter a code from an authenticator app with this key:",
              f"  {DEMO_TOTP_SECRET}",
              "  current code: python -c \"import pyotp; print(pyotp.TOTP("
              f"'{DEMO_TOTP_SECRET}').now())\""]
    return lines


def _requests(people) -> None:
    from portal.tickets import services as tickets

    staff = people["staff@madoguchi.example"]
    for email, kind, severity, subject, body, reply in REQUESTS:
        ticket = tickets.file_ticket(people[email], kind=kind, severity=severity, subject=subject,
                                     body=body, acknowledge_overage=True)
        if reply:
            tickets.add_message(ticket, staff, reply)


HISTORY = (6, 4, 7, 3, 5)  # acme's counted requests in each of the five previous months


def _history(people) -> None:
    """Closed requests in acme's previous months, so the usage chart has a history to show."""
    from portal.tickets import services as tickets

    contact, staff = people["contact@acme.example"], people["staff@madoguchi.example"]
    was = clock._fixed
    now = clock.now()
    try:
        for months_ago, count in zip(range(len(HISTORY), 0, -1), HISTORY, strict=True):
            month_start = (now.replace(day=1) - timedelta(days=28 * months_ago)).replace(day=3, hour=1)
            for index in range(count):
                clock.travel_to(month_start + timedelta(days=index * 3))
                ticket = tickets.file_ticket(contact, kind="question", subject=f"過去の質問 {index + 1}",
                                             body="解決済みの質問です。", acknowledge_overage=True)
                tickets.add_message(ticket, staff, "ご回答いたします。")
                ticket.status = "closed"
    finally:
        clock.travel_to(was)
    _sent_back_then(before=now)


def _sent_back_then(before) -> None:
    """The history's mails (receipts, replies) belong to months past: they count as sent when
    they were queued, not as mail overdue for months (which /readyz would report as a stuck
    outbox right after seed-demo). The database was empty, so every unsent mail queued before
    `before` is one of them."""
    from portal.notifications.models import OutboxMail

    db.session.flush()
    db.session.execute(update(OutboxMail)
                       .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at < before)
                       .values(sent_at=OutboxMail.next_attempt_at))


def _back_office(staff) -> None:
    from portal.backoffice.maintenance import create_notice
    from portal.desk.models import CannedReply

    start = (clock.now() + timedelta(days=3)).replace(hour=13, minute=0, second=0, microsecond=0)
    create_notice(staff, title_ja="クラウド基盤の定期メンテナンス",
                  title_en="Scheduled cloud platform maintenance",
                  body_ja="作業中はサービスを利用できません。",
                  body_en="The service is unavailable during the work.",
                  service="Madoguchi Cloud", starts_at=start, ends_at=start + timedelta(hours=4))
    db.session.add(CannedReply(
        title="ログの送付依頼", body_ja="お手数ですが、エラー発生時刻前後のログをお送りください。",
        body_en="Could you please send us the logs from around the time of the error?"))


def _features() -> None:
    """Demo workshops, sessions, a booking, and outbriefs."""
    from portal.documents.demo import seed_documents
    from portal.workshops.demo import seed_workshops

    db.session.flush()
    seed_workshops()
    seed_documents()
