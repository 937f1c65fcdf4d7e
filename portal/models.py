"""Every model, imported in one place so Alembic and the app see the whole schema."""
from portal.accounts.models import (  # noqa: F401
    ApiToken,
    AuditEvent,
    ClosureDay,
    Contract,
    Organization,
    User,
)
from portal.notifications.models import OutboxAttachment, OutboxMail  # noqa: F401
from portal.workshops.models import Attendee, Booking, Workshop, WorkshopSession  # noqa: F401
