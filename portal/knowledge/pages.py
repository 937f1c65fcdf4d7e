"""What the knowledge-base pages (views.py: customers, staff_views.py: back office) and the API
share: the blueprints, the article as the viewer may see it, a form's error on its field."""
from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from portal.core.i18n import current_language
from portal.knowledge import presenters, services

bp = Blueprint("knowledge", __name__, url_prefix="/knowledge")
staff_bp = Blueprint("knowledge_staff", __name__, url_prefix="/backoffice/knowledge")


@bp.app_context_processor
def _article_helpers() -> dict:
    """`article_title(article)`, `category_name(category)` in the viewer's language."""
    return {"article_title": lambda article: presenters.title(article, current_language()),
            "category_name": lambda category: presenters.category_name(category, current_language())}


def article_or_404(article_id: int):
    """The article if the viewer may read it; a draft or another organisation's restricted
    article is a 404 like a missing one."""
    article = services.visible(current_user, article_id)
    if article is None:
        abort(404)
    return article


def form_error(form, error) -> None:
    """Show a service's error on the field it names (else on the first title)."""
    field = getattr(form, error.field or "", None) or form.title_ja
    field.errors = [*list(field.errors or []), str(error.message)]
