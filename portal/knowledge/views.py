"""Customer pages of the knowledge base: browse by category, search, read, "did this help?",
and the suggestions beside the new-request form."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts.tenancy import customer_required
from portal.core.i18n import _, current_language
from portal.db import get, id_from_text
from portal.knowledge import forms, index, presenters, services, usage
from portal.knowledge.models import ArticleCategory
from portal.knowledge.pages import article_or_404, bp
from portal.tickets import attachments as files
from portal.tickets import ranking

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp"}


@bp.get("")
@login_required
def index_page():
    form = forms.SearchForm(request.args)
    q = (form.q.data or "").strip()[:200] if form.validate() else ""
    category = get(ArticleCategory, id_from_text(request.args.get("category", "")))
    if q:
        total, ids = index.found(current_user, q, limit=50)
        articles = services.by_ids(current_user, ids)
        snippets = index.snippets([a.id for a in articles], q, current_user.is_staff)
    else:
        total, snippets = None, {}
        articles = services.listed(current_user, category.id if category else None)
    return render_template("knowledge/index.html", form=form, q=q, total=total, articles=articles,
                           snippets=snippets, categories=services.categories(),
                           category=category)


@bp.get("/<int:article_id>")
@login_required
def article(article_id: int):
    found = article_or_404(article_id)
    from_filing = request.args.get("from") == "filing"
    usage.read(current_user, found, from_filing)
    return _article_page(found, from_filing)


def _article_page(found, from_filing: bool, status: int = 200):
    lang = current_language()
    return render_template(
        "knowledge/article.html", article=found, shown=presenters.shown(found, lang),
        body=presenters.body_html(found, lang), attachments=services.attachments_of(found),
        from_filing=from_filing, form=forms.FeedbackForm(formdata=None, filing=from_filing),
        answered=None if current_user.is_staff else usage.feedback_of(current_user, found)), status


@bp.post("/<int:article_id>/feedback")
@customer_required
def feedback(article_id: int):
    found = article_or_404(article_id)
    form = forms.FeedbackForm()
    if not form.validate_on_submit():
        return _article_page(found, bool(form.filing.data), 422)
    if form.helpful.data == "yes" and form.filing.data:
        usage.deflect(current_user, found)
        flash(_("We are glad the article answered your question. No request was filed and "
                "nothing was counted toward this month's requests."), "success")
        return redirect(url_for("knowledge.index_page"))
    usage.feedback(current_user, found, form.helpful.data == "yes")
    flash(_("Thank you for your feedback."), "success")
    return redirect(url_for("knowledge.article", article_id=found.id,
                            **({"from": "filing"} if form.filing.data else {})))


@bp.get("/<int:article_id>/attachments/<int:attachment_id>")
@login_required
def attachment(article_id: int, attachment_id: int):
    found = services.attachment_of(article_or_404(article_id), attachment_id)
    if found is None:
        abort(404)
    response = files.download(found)
    image = IMAGE_TYPES.get("." + found.filename.rsplit(".", 1)[-1].lower())
    if image and request.args.get("inline") == "1":  # an image shown in the article
        response.headers["Content-Type"] = image
        response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/suggestions")
@customer_required
def suggestions():
    """Articles like the request being typed, with what filing it will cost this month: an
    HTML fragment fetched by static/js/portal.js as the subject and description change."""
    text = f"{request.args.get('subject', '')[:200]}\n{request.args.get('body', '')[:2000]}"
    kind = "incident" if request.args.get("kind") == "incident" else "question"
    severity = request.args.get("severity", "")[:1]
    severity = severity if kind == "incident" and severity in ("1", "A", "B", "C") else None
    org = current_user.organization
    found = services.by_ids(current_user, index.suggested(current_user, text)) if text.strip() else []
    return render_template(
        "knowledge/_suggestions.html", articles=found,
        preview=ranking.preview(org, ranking.current_month(org), kind, severity),
        included=ranking.terms(org)[0])
