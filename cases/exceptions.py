from intake.exceptions import TransitionNotAllowed

__all__ = ["TransitionNotAllowed"]
