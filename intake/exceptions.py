class TransitionNotAllowed(Exception):
    """A refused state change; the message says why, in the users' words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IncompleteAssessment(TransitionNotAllowed):
    pass
