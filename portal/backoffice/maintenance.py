"""Maintenance notices: written by staff, shown to customers before and during the window."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.accounts.models import CUSTOMER_ROLES, User
from portal.accounts.services import record
from portal.backoffice.interfaces import BackofficeError
from portal.core import clock
from portal.core.i18n import _l
from portal.db import db
from portal.desk.models import MaintenanceNotice
from portal.notifications.services import send_template
from portal.web.fragments import fragments

BANNER_AHEAD = timedelta(days=7)


def create_notice(actor: User, *, title_ja: str, title_en: str, body_ja: str, body_en: str,
                  service: str, starts_at: datetime, ends_at: datetime) -> MaintenanceNotice:
    """Record the notice and e-mail every active customer in their own language."""
    if ends_at <= starts_at:
        raise BackofficeError(_l("The window must end after it starts."), "ends_at")
    notice = MaintenanceNotice(title_ja=title_ja.strip(), title_en=title_en.strip(),
                               body_ja=body_ja.strip(), body_en=body_en.strip(),
                               service=service.strip(), starts_at=starts_at, ends_at=ends_at,
                               created_by_id=actor.id)
    db.session.add(notice)
    db.session.flush()
    record(actor, "maintenance.announced", notice, None, starts_at=starts_at.isoformat())
    customers = db.session.scalars(select(User).where(User.role.in_(CUSTOMER_ROLES),
                                                      User.active.is_(True)))
    for customer in customers:
        send_template(customer, "maintenance", notice=notice)
    fragments().forget(_banner_key(clock.now()))  # this worker shows it at once, others within a minute
    return notice


def banner_notices(now: datetime | None = None) -> list[MaintenanceNotice]:
    """Notices whose window starts within a week or is under way."""
    now = now or clock.now()
    return list(db.session.scalars(
        select(MaintenanceNotice).where(MaintenanceNotice.ends_at > now,
                                        MaintenanceNotice.starts_at <= now + BANNER_AHEAD)
        .order_by(MaintenanceNotice.starts_at)))


@dataclass(frozen=True)
class Banner:
    """What the banner shows of a notice: plain values, shared by every request of a worker."""

    title_ja: str
    title_en: str
    service: str
    starts_at: datetime
    ends_at: datetime

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en


def _banner_key(now: datetime) -> tuple:
    return ("maintenance.banner", now.strftime("%Y%m%d%H%M"))


def cached_banner() -> tuple[Banner, ...]:
    """The banner on every customer page: looked up at most once a minute per worker (notices
    are announced a week ahead, so a minute's delay on other workers is harmless)."""
    now = clock.now().replace(second=0, microsecond=0)

    def look_up() -> tuple[Banner, ...]:
        return tuple(Banner(n.title_ja, n.title_en, n.service, n.starts_at, n.ends_at)
                     for n in banner_notices(now))

    return fragments().get_or_make(_banner_key(now), look_up)


def all_notices() -> list[MaintenanceNotice]:
    return list(db.session.scalars(
        select(MaintenanceNotice).order_by(MaintenanceNotice.starts_at.desc()).limit(200)))
