"""Passkeys (WebAuthn) as a second factor, through py_webauthn: the options a browser needs,
and the checks of what it answers (challenge, origin, relying-party id, signature, counter).

The relying party is the portal's own address (`WEBAUTHN_ORIGIN`, by default BASE_URL): a
passkey made for it is never offered to, nor accepted from, another site.

py_webauthn (with cryptography, cbor2 and pyasn1's certificate modules) is imported by the
functions that use it, not with this module: every command and worker start would otherwise
pay for it (docs/performance.md, "mail receive start-up")."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor


@dataclass(frozen=True)
class RelyingParty:
    origin: str  # scheme://host[:port], exactly as the browser reports it
    name: str

    @property
    def rp_id(self) -> str:
        return urlsplit(self.origin).hostname or ""


@dataclass(frozen=True)
class NewPasskey:
    credential_id: str  # base64url
    public_key: str  # base64url of the COSE key
    sign_count: int


class PasskeyRefused(Exception):
    """The browser's answer did not prove the passkey (wrong challenge, origin, signature)."""


def registration_options(party: RelyingParty, user_id: int, email: str, name: str,
                         existing: list[str]) -> tuple[str, str]:
    """(options as JSON for navigator.credentials.create, the challenge to keep in the session)."""
    import webauthn
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    options = webauthn.generate_registration_options(
        rp_id=party.rp_id, rp_name=party.name, user_name=email, user_display_name=name,
        user_id=f"madoguchi-user-{user_id}".encode(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=[_descriptor(item) for item in existing])
    return webauthn.options_to_json(options), bytes_to_base64url(options.challenge)


def verify_registration(party: RelyingParty, answer: str, challenge: str) -> NewPasskey:
    import webauthn
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.exceptions import InvalidRegistrationResponse

    try:
        verified = webauthn.verify_registration_response(
            credential=_parsed(answer), expected_challenge=webauthn.base64url_to_bytes(challenge),
            expected_rp_id=party.rp_id, expected_origin=party.origin)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused(str(error)) from None
    return NewPasskey(bytes_to_base64url(verified.credential_id),
                      bytes_to_base64url(verified.credential_public_key), verified.sign_count)


def authentication_options(party: RelyingParty, credential_ids: list[str]) -> tuple[str, str]:
    """(options as JSON for navigator.credentials.get, the challenge to keep)."""
    import webauthn
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.structs import UserVerificationRequirement

    options = webauthn.generate_authentication_options(
        rp_id=party.rp_id, allow_credentials=[_descriptor(item) for item in credential_ids],
        user_verification=UserVerificationRequirement.PREFERRED)
    return webauthn.options_to_json(options), bytes_to_base64url(options.challenge)


def answered_credential_id(answer: str) -> str | None:
    """The credential id the browser answered with (to find the stored passkey)."""
    value = _parsed(answer).get("id") if _parsed(answer) else None
    return value if isinstance(value, str) and 0 < len(value) <= 400 else None


def verify_authentication(party: RelyingParty, answer: str, challenge: str, public_key: str,
                          sign_count: int) -> int:
    """The passkey's new signature counter, or PasskeyRefused."""
    import webauthn
    from webauthn.helpers.exceptions import InvalidAuthenticationResponse

    try:
        verified = webauthn.verify_authentication_response(
            credential=_parsed(answer), expected_challenge=webauthn.base64url_to_bytes(challenge),
            expected_rp_id=party.rp_id, expected_origin=party.origin,
            credential_public_key=webauthn.base64url_to_bytes(public_key),
            credential_current_sign_count=sign_count)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyRefused(str(error)) from None
    return verified.new_sign_count


def _parsed(answer: str) -> dict:
    try:
        value = json.loads(answer or "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _descriptor(credential_id: str) -> PublicKeyCredentialDescriptor:
    import webauthn
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor

    return PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(credential_id))
