from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from ipgar.audit.constants import EMERGENCY_SESSION_KEY


def emergency_access(request: HttpRequest) -> dict:
    """The break-the-glass banner on every page while a grant runs. Read from the session
    (written when the grant is made and again at login), so pages pay no query for it."""
    session = getattr(request, "session", None)
    if session is None or EMERGENCY_SESSION_KEY not in session:
        return {"emergency_grants": []}
    now = timezone.now()
    running = []
    for entry in session.get(EMERGENCY_SESSION_KEY, []):
        try:
            expires = datetime.fromisoformat(entry["expires"])
        except (KeyError, TypeError, ValueError):
            continue
        if expires > now:
            running.append({**entry, "expires_at": expires})
    return {"emergency_grants": running}
