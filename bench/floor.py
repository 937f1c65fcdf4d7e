"""The portal's floor: a signed-in request through the whole stack that renders nothing.

Diagnostic only (served by bench/load.py beside the portal): session, Flask-Login's user load,
the limiter, the commit and the after-request hooks all run, but no page query and no template.
Its throughput is the most any signed-in page of the portal can reach on this machine.
"""
from flask_login import current_user, login_required

from portal import create_app

app = create_app()


@app.get("/bench/floor")
@login_required
def floor() -> str:
    return f"ok {current_user.id}"
