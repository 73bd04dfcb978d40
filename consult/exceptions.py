"""The base of errors whose message is for the user."""


class UserFacingError(ValueError):
    """A request was refused for a reason the user must read; ``str()`` gives the message,
    translated when it is shown (it may be a lazy string)."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(UserFacingError):
    """A service refused a change its actor may not make (answered with a 403).

    Routes check the same model methods before they call a service, so a user meets it
    only through a race or a route that forgot; the service is the last line.
    """
