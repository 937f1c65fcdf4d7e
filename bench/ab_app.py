"""The portal with one piece of its page-speed machinery switched off, for bench/ab.py.

    BENCH_AB_OFF=kept_frame|session_cookie|csrf_reuse|warm_up|sync_memo  gunicorn ... bench.ab_app:app

(The fragment memory is switched off by the portal's own setting, PORTAL_FRAGMENT_CACHE_SIZE=0.)
Each piece is replaced by what stock Flask, Flask-WTF and Jinja do without it, so the difference
measured is what the piece buys. Measurement tooling only: the portal never imports this.
"""
from __future__ import annotations

import os
import sys

from flask import render_template
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf

from portal import create_app


def _replace(name: str, original, replacement) -> None:
    """Every portal module's reference to `original` (imported by name) becomes `replacement`."""
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("portal") and getattr(module, name, None) is original:
            setattr(module, name, replacement)


def _stock_page(template: str, content):
    return render_template(template, content=content)


app = create_app()
OFF = os.environ.get("BENCH_AB_OFF", "")
if OFF == "kept_frame":
    import portal.web

    _replace("render_kept_page", portal.web.render_kept_page, _stock_page)
elif OFF == "session_cookie":
    app.session_interface = SecureCookieSessionInterface()
elif OFF == "csrf_reuse":
    import portal.web

    _replace("csrf_token", portal.web.csrf_token, generate_csrf)
elif OFF == "warm_up":
    import portal.web.warm

    portal.web.warm.warm_up = lambda _app: {}
elif OFF == "sync_memo":
    from flask import Flask

    app.ensure_sync = Flask.ensure_sync.__get__(app)  # Flask's own, asked on every call
elif OFF not in ("", "fragments"):
    raise SystemExit(f"BENCH_AB_OFF={OFF!r}: not a piece bench/ab.py knows")
