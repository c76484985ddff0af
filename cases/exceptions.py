from intake.exceptions import TransitionNotAllowed

__all__ = ["OpenCaseExists", "TransitionNotAllowed"]


class OpenCaseExists(TransitionNotAllowed):
    """A second admission of a person whose case is still open (docs/een-open-casus.md)."""

    def __init__(self, case):
        super().__init__(
            f"Deze persoon heeft al een open casus ({case.reference}). Een tweede opname wordt "
            "geweigerd, tenzij het overleg met een reden uitdrukkelijk een tweede casus toestaat."
        )
        self.case = case
