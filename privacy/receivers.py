from cases.permissions import active_emergency_grants


def remember_running_grants(sender, request, user, **kwargs) -> None:
    """A grant outlives the session it was made in: after a new login the banner and the
    access-log marking pick it up again."""
    if request is None or not hasattr(request, "session"):
        return
    from privacy.services import emergency_session_remember

    grants = list(active_emergency_grants(user).select_related("case"))
    if grants:
        emergency_session_remember(request, grants)
