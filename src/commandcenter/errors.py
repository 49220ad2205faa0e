"""Errors a person can act on.

Every exception raised on purpose by the core derives from :class:`UserError` and carries a
Chinese message that says what happened and what to do. Anything else is a programming error and
goes to the crash report, not to the operator as if it were their fault.
"""


class UserError(Exception):
    """An error whose message is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """Input that breaks a rule; nothing was written.

    *field* names the input at fault (a model attribute such as ``id_number``) so a form can put
    the cursor there and an import report can name the column.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(UserError):
    """Someone else changed or removed the record since it was opened; nothing was written."""


class PermissionDenied(UserError):
    """The acting user's role does not allow the action.

    *actor* and *action* say who tried what, so the refusal itself can be audited once the
    transaction it happened in has been rolled back."""

    def __init__(self, message: str, *, actor: object = None, action: str | None = None) -> None:
        super().__init__(message)
        self.actor = actor
        self.action = action
        self.recorded = False


class NotFound(UserError):
    """A record that was asked for does not exist (any more)."""


class DatabaseError(UserError):
    """The database cannot be used as it is (missing, foreign, newer, corrupt)."""


class DatabaseNotFound(DatabaseError):
    pass


class ForeignDatabase(DatabaseError):
    pass


class NewerDatabase(DatabaseError):
    pass


class ReadOnlyDatabase(UserError):
    """A change was asked of a database opened read-only; nothing was written."""


class AuthenticationFailed(UserError):
    pass
