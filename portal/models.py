"""Every model, imported in one place so Alembic and the app see the whole schema."""
from portal.accounts.models import (  # noqa: F401
    ApiToken,
    AuditEvent,
    ClosureDay,
    Contract,
    Organization,
    RecoveryCode,
    SecondFactor,
    SsoSettings,
    User,
    UserSession,
)
from portal.desk.models import CannedReply, MaintenanceNotice  # noqa: F401
from portal.documents.models import DocumentDownload, Finding, Outbrief  # noqa: F401
from portal.knowledge.models import (  # noqa: F401
    Article,
    ArticleAttachment,
    ArticleCategory,
    ArticleFeedback,
    ArticleOrganization,
    ArticleRead,
    ArticleRevision,
    Deflection,
)
from portal.mailin.models import BlockedSender, InboundMail  # noqa: F401
from portal.notifications.models import OutboxAttachment, OutboxMail  # noqa: F401
from portal.ops.models import JobMark, JobRun, JobRunner, JobSetting  # noqa: F401
from portal.tickets import search  # noqa: F401,E402  (keeps the search index in step with commits)
from portal.tickets.models import (  # noqa: F401
    Attachment,
    Message,
    SatisfactionSurvey,
    Ticket,
    TicketCounter,
    UsageCounter,
    Watcher,
)
from portal.workshops.models import Attendee, Booking, Workshop, WorkshopSession  # noqa: F401
