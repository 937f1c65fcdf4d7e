"""Single sign-on per organisation with OpenID Connect (authorization code flow with PKCE),
through Authlib (the OAuth client) and joserfc (the ID token's signature and claims).

A sign-in maps to an existing, active designated contact or customer administrator of the
organisation whose settings started it, by the e-mail address the provider says it verified,
in one of the organisation's allowed domains. It never creates anyone and never reaches a
person of another organisation or the provider's staff. docs/decisions/sign-in.md."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import select

from portal.accounts.interfaces import AccountsError
from portal.accounts.models import CUSTOMER_ROLES, Organization, SsoSettings, User
from portal.accounts.services import record
from portal.core import clock
from portal.core.addresses import canonical_address
from portal.core.i18n import _l
from portal.db import db

if TYPE_CHECKING:
    from authlib.integrations.requests_client import OAuth2Session

# Authlib, requests and joserfc are imported by the functions of a sign-in, not with this module:
# every command and worker start would otherwise pay for them (docs/performance.md).

TIMEOUT_S = 10
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SsoRefused(AccountsError):
    """The sign-in cannot go on; the message says why, in the person's language."""


@dataclass(frozen=True)
class Flow:
    """What the browser's round trip must bring back unchanged (kept in the signed session)."""
    organization_id: int
    state: str
    nonce: str
    code_verifier: str


def settings_for(organization_id: int) -> SsoSettings | None:
    return db.session.scalar(select(SsoSettings).where(
        SsoSettings.organization_id == organization_id))


def password_refused(user: User) -> bool:
    """The person's organisation lets its people in through single sign-on only."""
    if user.is_staff or user.organization_id is None:
        return False
    settings = settings_for(user.organization_id)
    return bool(settings and settings.enabled and settings.sso_only)


def organization_for_email(email: str) -> Organization | None:
    """The organisation whose single sign-on is on for this address's domain, if any."""
    domain = canonical_address(email).rpartition("@")[2]
    for settings in db.session.scalars(select(SsoSettings).where(SsoSettings.enabled)):
        if domain and domain in settings.domains:
            return settings.organization
    return None


def save_settings(actor: User, organization: Organization, *, enabled: bool, issuer: str,
                  client_id: str, client_secret: str, allowed_domains: str,
                  sso_only: bool) -> SsoSettings:
    """A provider administrator's settings for one organisation (the secret kept if left empty)."""
    settings = settings_for(organization.id) or SsoSettings(organization_id=organization.id)
    issuer = issuer.strip().rstrip("/")
    domains = " ".join(sorted({canonical_address(part) for part in
                               allowed_domains.replace(",", " ").split() if part.strip()}))
    if enabled:
        _check_settings(organization, issuer, client_id.strip(),
                        client_secret or settings.client_secret, domains.split())
    settings.enabled, settings.issuer, settings.client_id = enabled, issuer, client_id.strip()
    if client_secret:
        settings.client_secret = client_secret
    settings.allowed_domains, settings.sso_only = domains, sso_only and enabled
    settings.updated_at = clock.now()
    db.session.add(settings)
    db.session.flush()
    record(actor, "sso.settings_changed", organization, organization.id, enabled=enabled,
           issuer=issuer, client_id=settings.client_id, domains=domains, sso_only=settings.sso_only)
    return settings


def _check_settings(organization: Organization, issuer: str, client_id: str, secret: str,
                    domains: list[str]) -> None:
    parts = urlsplit(issuer)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not secure or not parts.hostname:
        raise AccountsError(_l("The issuer must be an https:// address."), "issuer")
    if not client_id:
        raise AccountsError(_l("Enter the client ID."), "client_id")
    if not secret:
        raise AccountsError(_l("Enter the client secret."), "client_secret")
    if not domains or any("." not in domain or "@" in domain for domain in domains):
        raise AccountsError(_l("Enter at least one e-mail domain, such as example.co.jp."),
                            "allowed_domains")
    for other in db.session.scalars(select(SsoSettings).where(
            SsoSettings.organization_id != organization.id, SsoSettings.enabled)):
        if set(other.domains) & set(domains):
            raise AccountsError(_l("Another organisation already signs in with one of these "
                                   "domains."), "allowed_domains")


def start(settings: SsoSettings, redirect_uri: str) -> tuple[str, Flow]:
    """The provider's authorization address to send the browser to, and the flow to keep."""
    from authlib.common.security import generate_token

    metadata = _discovery(settings)
    flow = Flow(settings.organization_id, generate_token(32), generate_token(32),
                generate_token(64))
    client = _client(settings, redirect_uri)
    url, _state = client.create_authorization_url(
        metadata["authorization_endpoint"], state=flow.state, nonce=flow.nonce,
        code_verifier=flow.code_verifier)
    return url, flow


def finish(settings: SsoSettings, flow: Flow, redirect_uri: str, state: str, code: str) -> User:
    """The person the provider signed in, after every check; SsoRefused otherwise."""
    if not state or state != flow.state or settings.organization_id != flow.organization_id:
        raise SsoRefused(_l("The sign-in could not be completed. Please start again."))
    if not code:
        raise SsoRefused(_l("Your organisation's sign-in did not complete. Please start again."))
    metadata = _discovery(settings)
    try:
        token = _client(settings, redirect_uri).fetch_token(
            metadata["token_endpoint"], code=code, code_verifier=flow.code_verifier,
            timeout=TIMEOUT_S)
    except Exception as error:  # the provider refused the code (any of Authlib's errors)
        raise SsoRefused(_l("Your organisation's sign-in did not complete. Please start "
                            "again.")) from error
    claims = verified_claims(settings, metadata, token.get("id_token") or "", flow.nonce)
    if "email" not in claims and metadata.get("userinfo_endpoint"):
        claims = {**_userinfo(metadata["userinfo_endpoint"], token), **claims}
    return person_for(settings, claims)


def _userinfo(endpoint: str, token: dict) -> dict:
    """The address claims, when the provider keeps them out of the ID token (OIDC Core 5.4):
    taken only when they are about the ID token's own subject (checked by the caller's merge:
    the ID token's `sub` wins, and a different `sub` here is refused)."""
    import requests

    try:
        answer = requests.get(endpoint, timeout=TIMEOUT_S, headers={
            "Authorization": f"Bearer {token.get('access_token', '')}"})
        answer.raise_for_status()
        info = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise SsoRefused(_l("Your organisation's sign-in could not be verified.")) from error
    if not isinstance(info, dict):
        raise SsoRefused(_l("Your organisation's sign-in could not be verified."))
    return {"userinfo_sub": info.get("sub"), "email": info.get("email"),
            "email_verified": info.get("email_verified")}


def verified_claims(settings: SsoSettings, metadata: dict, id_token: str, nonce: str) -> dict:
    """The ID token's claims once its signature (the provider's published keys), issuer,
    audience, expiry and nonce are checked."""
    import requests
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    try:
        keys = KeySet.import_key_set(_get_json(metadata["jwks_uri"]))
        token = jwt.decode(id_token, keys, algorithms=["RS256", "ES256", "PS256"])
        jwt.JWTClaimsRegistry(
            leeway=60, iss={"essential": True, "value": settings.issuer},
            aud={"essential": True, "value": settings.client_id},
            nonce={"essential": True, "value": nonce}, exp={"essential": True},
            sub={"essential": True}).validate(token.claims)
    except (JoseError, ValueError, KeyError, TypeError, requests.RequestException) as error:
        raise SsoRefused(_l("Your organisation's sign-in could not be verified.")) from error
    audience = token.claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and \
            token.claims.get("azp") != settings.client_id:
        raise SsoRefused(_l("Your organisation's sign-in could not be verified."))
    return token.claims


def person_for(settings: SsoSettings, claims: dict) -> User:
    """The organisation's own active customer with the verified address, else SsoRefused."""
    if "userinfo_sub" in claims and claims["userinfo_sub"] != claims.get("sub"):
        raise SsoRefused(_l("Your organisation's sign-in could not be verified."))
    email = canonical_address(claims.get("email") if isinstance(claims.get("email"), str) else "")
    if not email or claims.get("email_verified") is not True:
        raise SsoRefused(_l("Your organisation's directory did not confirm your e-mail address."))
    if email.rpartition("@")[2] not in settings.domains:
        raise SsoRefused(_l("This e-mail domain is not allowed for your organisation."))
    user = db.session.scalar(select(User).where(
        User.email == email, User.organization_id == settings.organization_id,
        User.role.in_(CUSTOMER_ROLES)))
    if user is None or not user.active:
        raise SsoRefused(_l("There is no active account for %(email)s in this organisation. "
                            "Ask your support service administrator to invite you.", email=email))
    return user


def _client(settings: SsoSettings, redirect_uri: str) -> OAuth2Session:
    from authlib.integrations.requests_client import OAuth2Session

    return OAuth2Session(settings.client_id, settings.client_secret, scope="openid email",
                         redirect_uri=redirect_uri, code_challenge_method="S256",
                         token_endpoint_auth_method="client_secret_basic")


def _discovery(settings: SsoSettings) -> dict:
    """The provider's metadata; its issuer must be exactly the one configured."""
    if not settings.enabled or not settings.issuer:
        raise SsoRefused(_l("Single sign-on is not set up for this organisation."))
    import requests

    try:
        metadata = _get_json(f"{settings.issuer}/.well-known/openid-configuration")
    except (requests.RequestException, ValueError) as error:
        raise SsoRefused(_l("Your organisation's sign-in service cannot be reached. Please "
                            "try again later.")) from error
    if metadata.get("issuer") != settings.issuer:
        raise SsoRefused(_l("Your organisation's sign-in service is not set up correctly."))
    return metadata


def _get_json(url: str) -> dict:
    import requests

    answer = requests.get(url, timeout=TIMEOUT_S)
    answer.raise_for_status()
    value = answer.json()
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value
