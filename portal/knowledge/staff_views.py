"""The back office's knowledge base: write and edit articles (with their revisions and
attachments), categories, start an article from a resolved request's answer, and the figures
(deflections, articles read before a request was filed anyway)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from portal.accounts.models import Organization
from portal.accounts.tenancy import staff_required
from portal.core import clock
from portal.core.i18n import _, current_language
from portal.core.months import is_month, month_of
from portal.db import db, get, id_from_text
from portal.knowledge import drafting, forms, services, usage
from portal.knowledge.models import Article
from portal.knowledge.pages import form_error, staff_bp
from portal.knowledge.services import ArticleError
from portal.tickets.models import Ticket


@staff_bp.get("")
@staff_required
def articles():
    return render_template("knowledge/staff_list.html", articles=services.listed(current_user, limit=500),
                           categories=services.categories(), category_form=forms.CategoryForm())


@staff_bp.post("/categories")
@staff_required
def add_category():
    form = forms.CategoryForm()
    if form.validate_on_submit():
        try:
            services.add_category(form.name_ja.data or "", form.name_en.data or "")
            flash(_("The category was added."), "success")
            return redirect(url_for("knowledge_staff.articles"))
        except ArticleError as error:
            form.name_ja.errors = [str(error.message)]
    return render_template("knowledge/staff_list.html", articles=services.listed(current_user, limit=500),
                           categories=services.categories(), category_form=form), 422


def _choices(form) -> None:
    lang = current_language()
    form.category.choices = [SelectChoice("", _("No category"))] + [
        SelectChoice(str(c.id), c.name_en if lang == "en" else c.name_ja) for c in services.categories()]
    form.audience.choices = [SelectChoice("all", _("Every organisation")),
                             SelectChoice("selected", _("Selected organisations only"))]
    form.organizations.choices = [SelectChoice(o.id, o.name) for o in db.session.scalars(
        select(Organization).order_by(Organization.name))]


def _text(form) -> services.ArticleText:
    selected = form.audience.data == "selected"
    return services.ArticleText(
        title_ja=form.title_ja.data or "", body_ja=form.body_ja.data or "",
        title_en=form.title_en.data or "", body_en=form.body_en.data or "",
        published=bool(form.published.data),
        organization_ids=tuple(form.organizations.data or ()) if selected else None,
        category_id=id_from_text(form.category.data or ""), reviewed_on=form.reviewed_on.data)


def _editor(form, article=None, ticket=None, status: int = 200):
    return render_template("knowledge/edit.html", form=form, article=article, ticket=ticket,
                           attachments=services.attachments_of(article) if article else [],
                           revisions=services.revisions(article) if article else []), status


def _submit(form, article=None, ticket=None):
    """Save the form (a new article or a change); the form back, filled, on an error."""
    try:
        saved = services.save(current_user, _text(form), article,
                              source_ticket_id=ticket.id if ticket else None)
        services.add_attachments(saved, form.attachments.data, current_user)
    except ArticleError as error:
        form_error(form, error)
        return _editor(form, article, ticket, 422)
    flash(_("The article was saved."), "success")
    return redirect(url_for("knowledge_staff.edit", article_id=saved.id))


@staff_bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    """A new article; `?ticket=ID` starts it from that resolved request's answer."""
    ticket = get(Ticket, id_from_text(request.args.get("ticket", "")))
    form = forms.ArticleForm(data=drafting.from_ticket(ticket) if ticket and request.method == "GET"
                             else {"reviewed_on": clock.now().date()})
    _choices(form)
    if form.validate_on_submit():
        return _submit(form, ticket=ticket)
    return _editor(form, ticket=ticket, status=422 if form.errors else 200)


@staff_bp.route("/<int:article_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(article_id: int):
    article = get(Article, article_id)
    if article is None:
        abort(404)
    form = forms.ArticleForm(data=drafting.form_data(article) if request.method == "GET" else None)
    _choices(form)
    if form.validate_on_submit():
        return _submit(form, article)
    return _editor(form, article, status=422 if form.errors else 200)


@staff_bp.get("/report")
@staff_required
def report():
    month = request.args.get("month", "")[:7]
    if not is_month(month):
        month = month_of(clock.now())
    return render_template("knowledge/report.html", month=month, figures=usage.figures(month),
                           filed_anyway=usage.filed_anyway(month))
