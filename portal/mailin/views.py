"""The staff's review of mail taken in (/backoffice/mail): what was held or ignored and why."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.accounts.tenancy import staff_required
from portal.core.i18n import _, _l
from portal.db import db
from portal.mailin import review
from portal.mailin.models import InboundMail
from portal.tickets.interfaces import TicketError

bp = Blueprint("mail_review", __name__, url_prefix="/backoffice/mail")
SOURCE_SHOWN = 256 * 1024  # of the raw source on the page: a 25 MB mail is not a 25 MB page

REASON_LABELS = {
    "duplicate": _l("Already received"), "automatic": _l("Automatic mail"),
    "blocked_sender": _l("The sender is blocked"),
    "own_mail": _l("Sent by the portal itself"), "too_large": _l("Too large"),
    "unauthenticated": _l("Sender authentication failed"), "unknown_sender": _l("Unknown sender"),
    "inactive_sender": _l("The sender's account is not active"),
    "flood": _l("Too many mails from this sender in an hour"),
    "foreign_reply": _l("A reply to another organisation's request"),
    "file_too_large": _l("An attachment is larger than the limit"),
    "invalid": _l("The request could not be filed"),
    "overage": _l("Awaiting the overage fee's acknowledgement"),
    "lapsed": _l("The overage fee was not confirmed within 7 days"),
    "backup_limit": _l("This backup service was already requested this month"),
}
STATUS_LABELS = {
    "filed": _l("Filed"), "added": _l("Added to a request"), "held": _l("Held for review"),
    "ignored": _l("Ignored"), "awaiting_fee": _l("Awaiting the fee"), "discarded": _l("Discarded"),
}


def _labels() -> dict:
    return {"reasons": REASON_LABELS, "statuses": STATUS_LABELS}


@bp.get("")
@staff_required
def index():
    status = request.args.get("status", "held")
    if status not in ("held", "ignored", "all"):
        status = "held"
    return render_template("backoffice/mail_list.html", mails=review.waiting(status), status=status,
                           blocked=review.blocked_senders(), **_labels())


@bp.post("/blocked/<int:blocked_id>/unblock")
@staff_required
def unblock(blocked_id: int):
    """Take an address off the block list (the list is on the review page)."""
    try:
        row = review.unblock(blocked_id, current_user)
    except TicketError:
        abort(404)
    flash(_("%(address)s is no longer blocked: their next mail is taken in as any other.",
            address=row.address), "success")
    status = request.form.get("status", "held")
    return redirect(url_for("mail_review.index",
                            status=status if status in ("held", "ignored", "all") else "held"))


def _row(mail_id: int) -> InboundMail:
    row = db.session.get(InboundMail, mail_id)
    if row is None:
        abort(404)
    return row


@bp.get("/<int:mail_id>")
@staff_required
def detail(mail_id: int, status: int = 200, error: str = "", form: dict | None = None):
    row = _row(mail_id)
    try:
        raw = review.raw(row)
        mail, source = review.read(row, raw), raw[:SOURCE_SHOWN].decode("utf-8", "replace")
    except OSError:
        mail, source, raw = None, "", b""
    return render_template("backoffice/mail_detail.html", row=row, mail=mail, source=source,
                           cut=len(raw) > SOURCE_SHOWN, error=error, form=form or {},
                           **_labels()), status


@bp.post("/<int:mail_id>")
@staff_required
def act(mail_id: int):
    row = _row(mail_id)
    action = request.form.get("action", "")
    try:
        if action == "file":
            ticket = review.file_for(row, current_user, request.form.get("email", ""),
                                     request.form.get("backup_service", ""))
            flash(_("Filed as %(number)s.", number=ticket.number), "success")
        elif action == "add":
            ticket = review.add_to(row, current_user, request.form.get("number", ""))
            flash(_("Added to %(number)s.", number=ticket.number), "success")
        elif action == "discard":
            review.discard(row, current_user)
            flash(_("The mail is discarded."), "success")
        elif action == "block":
            review.block_sender(row, current_user)
            flash(_("%(address)s is blocked: their mail will be ignored.", address=row.sender),
                  "success")
        else:
            abort(400)
    except TicketError as error:
        db.session.rollback()
        return detail(mail_id, status=422, error=str(error.message), form=request.form.to_dict())
    return redirect(url_for("mail_review.index"))


confirm_bp = Blueprint("mail_confirm", __name__, url_prefix="/mail")


@confirm_bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The signed link of an overage mail: the fee shown again, and one button to file it now.
    Works without signing in, for that one mail only, for 7 days."""
    from portal.mailin import intake

    row = intake.awaiting_for(token)
    if row is None:
        return render_template("mail_confirm.html", row=None), 410
    if request.method == "POST":
        ticket = intake.confirm_fee(row)
        return render_template("mail_confirm.html", row=row, ticket=ticket)
    return render_template("mail_confirm.html", row=row, ticket=None)
