"""Pages that both the sign-in steps and the profile's security page show: setting up an
authenticator app, and the recovery codes (shown once, never stored in the clear)."""
from __future__ import annotations

from flask import current_app, render_template

from portal.accounts import totp


def enrol_page(user, secret: str, form, action: str, required: bool):
    """The QR code and the secret for typing by hand, and the form for the first code."""
    uri = totp.provisioning_uri(secret, user.email, current_app.config["PROVIDER_NAME"])
    return render_template("accounts/enrol.html", form=form, qr=totp.qr_svg(uri),
                           secret=totp.grouped(secret), uri=uri, action=action,
                           required=required), 422 if form.errors else 200


def recovery_codes_page(codes: list[str], next_url: str):
    return render_template("accounts/recovery_codes.html", codes=codes, next_url=next_url)
