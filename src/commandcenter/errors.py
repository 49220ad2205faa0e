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


class AccountWithdrawn(UserError):
    """The signed-in account was disabled, or its role changed, since it signed in: its window
    must sign out rather than act on a right it no longer has."""


class NotFound(UserError):
    """A record that was asked for does not exist (any more)."""


class DatabaseError(UserError):
    """The database cannot be used as it is (missing, foreign, newer, corrupt)."""


class DatabaseFailure(UserError):
    """The database could not do what was asked, for a cause outside the program (another
    workstation's lock, a full disk, a failing device or connection, damage); nothing was
    written. ``db.failures`` raises these from the driver's error codes, the original chained."""


class DatabaseBusy(DatabaseFailure):
    """Another connection holds the lock long enough for the wait to give up."""


class DatabaseFull(DatabaseFailure):
    """No room: the disk, the file's size limit, or the server's resources."""


class DatabaseIOError(DatabaseFailure):
    """The file or the server could not be read or written, or reached at all."""


class DatabaseCorrupt(DatabaseFailure, DatabaseError):
    """The file or the server's data is damaged: a backup must be put back."""


class DatabaseNotFound(DatabaseError):
    pass


class ForeignDatabase(DatabaseError):
    pass


class NewerDatabase(DatabaseError):
    pass


class ReadOnlyDatabase(UserError):
    """A change was asked of a database opened read-only, or of one that refuses writes (a
    read-only file, a standby server, an account without the privilege); nothing was written."""


class AuthenticationFailed(UserError):
    pass
