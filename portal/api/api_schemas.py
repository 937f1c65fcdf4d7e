"""The API's own answers: who the token acts for."""
from __future__ import annotations

from typing import Literal

from portal.web.api_schemas import Answer, Id, OrganizationRef


class Me(Answer):
    id: Id
    email: str
    name: str
    role: Literal["customer_admin", "contact", "staff", "staff_admin"]
    locale: Literal["ja", "en"]
    organization: OrganizationRef | None
