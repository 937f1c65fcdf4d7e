"""Every model, imported in one place so Alembic and the app see the whole schema."""
from portal.accounts.models import (  # noqa: F401
    ApiToken,
    AuditEvent,
    ClosureDay,
    Contract,
    Organization,
    User,
)
from portal.documents.models import DocumentDownload, Finding, Outbrief  # noqa: F401
from portal.notifications.models import OutboxMail  # noqa: F401
