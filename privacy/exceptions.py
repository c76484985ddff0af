class PrivacyRefused(Exception):
    """A privacy step that is not allowed now; the message is Dutch and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
