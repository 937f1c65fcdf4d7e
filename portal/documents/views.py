"""Customer pages: the organisation's documents, PDF downloads, accepting or declining outbriefs."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts.tenancy import customer_admin_required, customer_required
from portal.core.i18n import _, current_language
from portal.documents import files, labels, services
from portal.documents.interfaces import DocumentsError, FontMissing, NotFound
from portal.documents.responses import font_missing_message, pdf_response
from portal.errors import error_answer

bp = Blueprint("documents", __name__, url_prefix="/documents")
bp.context_processor(labels.template_globals)


@bp.get("")
@customer_required
def index():
    return _index_page()


def _index_page(status: int = 200):
    org = current_user.organization
    outbriefs = services.visible_outbriefs(org.id)
    records = services.downloads(org_id=org.id, limit=100) if current_user.is_customer_admin else []
    return render_template("documents/index.html", org=org, outbriefs=outbriefs,
                           obligations={o.id: services.obligation(o) for o in outbriefs},
                           downloads=records, service_plan_id=services.SERVICE_PLAN_ID), status


@bp.get("/<document_id>.pdf")
@login_required
def download(document_id: str):
    """The PDF in ?lang=ja|en (default: the reader's language); every download is recorded."""
    try:
        lang = files.check_language(request.args.get("lang"), current_language())
        pdf = files.document_pdf(current_user, document_id, lang, request.args.get("organization"))
    except NotFound:
        abort(404)
    except DocumentsError as error:
        return error_answer(400, str(error.message))
    except FontMissing:
        return error_answer(503, font_missing_message())
    return pdf_response(pdf)


@bp.post("/outbriefs/<int:outbrief_id>/<any(accept, decline):decision>")
@customer_admin_required
def decide(outbrief_id: int, decision: str):
    """The customer administrator accepts or declines a delivered outbrief."""
    try:
        outbrief = services.outbrief_for(current_user, outbrief_id)
        services.decide(current_user, outbrief, accept=decision == "accept")
    except NotFound:
        abort(404)
    except DocumentsError as error:
        flash(str(error.message), "error")
        return _index_page(409)
    flash(_("The outbrief is accepted.") if decision == "accept"
          else _("The outbrief is declined; the provider's obligation to deliver it has lapsed."),
          "success")
    return redirect(url_for("documents.index"))
