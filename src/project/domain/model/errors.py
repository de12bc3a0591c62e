"""One exception root for the domain; entrypoints map each family to a response in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Root of every error the domain raises on purpose."""

    code: str = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(DomainError):
    """Input broke a domain rule (HTTP 400 / 422)."""

    code = "invalid_input"


class InvalidEmail(InvalidInput):
    code = "invalid_email"


class WeakPassword(InvalidInput):
    code = "weak_password"


class NotFound(DomainError):
    """The resource does not exist or the caller may not know that it does (HTTP 404)."""

    code = "not_found"


class Conflict(DomainError):
    """The change clashes with stored state (HTTP 409)."""

    code = "conflict"


class EmailTaken(Conflict):
    code = "email_taken"


class SecondFactorState(Conflict):
    """The second factor is not in the state the request needs (on, off, enrolment started)."""

    code = "second_factor_state"


class LastAdministrator(Conflict):
    """The change would leave the instance without an active administrator."""

    code = "last_administrator"


class AuthenticationFailed(DomainError):
    """Credentials or a token were missing, wrong, expired or revoked (HTTP 401).

    The detail is deliberately generic: callers must not learn which check failed.
    """

    code = "authentication_failed"

    def __init__(self, detail: str = "Authentication failed.") -> None:
        super().__init__(detail)


class SecondFactorRequired(AuthenticationFailed):
    """The password was right and the account signs in with a second factor: send the code.

    401 like every failed login, with its own code so a client knows to ask for the code. It
    does tell the caller that the password was right; that is what asking for a code means.
    """

    code = "second_factor_required"

    def __init__(
        self, detail: str = "Enter the code from your authenticator app or a recovery code."
    ) -> None:
        super().__init__(detail)


class SecondFactorFailed(AuthenticationFailed):
    """The code given at login is wrong, already used or too old (HTTP 401): never says which."""

    code = "second_factor_failed"

    def __init__(self, detail: str = "The code is wrong or was already used.") -> None:
        super().__init__(detail)


class PermissionDenied(DomainError):
    """The caller is known but may not do this (HTTP 403)."""

    code = "permission_denied"


class WrongPassword(PermissionDenied):
    """The current password given to confirm a change is wrong.

    403, not 401: the caller's token is fine, and a 401 would make clients drop their session.
    """

    code = "wrong_password"


class WrongSecondFactor(PermissionDenied):
    """The code given to confirm a second-factor change is wrong or already used.

    403 for the reason WrongPassword is: the caller's token is fine.
    """

    code = "wrong_second_factor"


class SecondFactorEnrolmentRequired(PermissionDenied):
    """The account must use a second factor and has none yet: only enrolment is open (403)."""

    code = "second_factor_enrolment_required"


class RegistrationClosed(PermissionDenied):
    code = "registration_closed"


class MailDeliveryFailed(DomainError):
    """The mailer could not hand a message on (HTTP 503 where it matters)."""

    code = "mail_delivery_failed"


class PreconditionFailed(DomainError):
    """The caller's copy is stale: the stored version moved on (HTTP 412)."""

    code = "precondition_failed"


class RateLimited(DomainError):
    """Too many attempts in the window (HTTP 429 with Retry-After)."""

    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class InvalidBlobKey(InvalidInput):
    """A storage key that is not one the service generates (S23)."""

    code = "invalid_blob_key"


class BlobNotFound(NotFound):
    code = "blob_not_found"


class StorageUnavailable(DomainError):
    """The blob store or another backing service did not answer (HTTP 503, retried by jobs)."""

    code = "storage_unavailable"


class InvalidUrl(InvalidInput):
    code = "invalid_url"


class InvalidTag(InvalidInput):
    code = "invalid_tag"


class DuplicateBookmark(Conflict):
    """The owner already saved this canonical URL; carries the existing bookmark's id."""

    code = "duplicate_bookmark"

    def __init__(self, detail: str, *, existing_id: object) -> None:
        super().__init__(detail)
        self.existing_id = existing_id


class FetchFailed(DomainError):
    """Fetching a page or image did not work. `permanent` failures end the job with the
    detail as the reason the user sees; others are retried (after `retry_after_seconds` when
    the server said so)."""

    code = "fetch_failed"

    def __init__(
        self, detail: str, *, permanent: bool, retry_after_seconds: float | None = None
    ) -> None:
        super().__init__(detail)
        self.permanent = permanent
        self.retry_after_seconds = retry_after_seconds


class FetchBlocked(FetchFailed):
    """The address is not one the service may reach (S19-S22); never retried."""

    code = "fetch_blocked"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, permanent=True)


class InvalidImage(InvalidInput):
    """Bytes that are not an image we accept (S25)."""

    code = "invalid_image"


class StorageQuotaExceeded(DomainError):
    """Storing an archive would take its owner past their storage quota (S23). The archive
    job ends failed with the detail as its reason; nothing of it is stored."""

    code = "storage_quota_exceeded"

    def __init__(self, detail: str, *, used_bytes: int, quota_bytes: int) -> None:
        super().__init__(detail)
        self.used_bytes = used_bytes
        self.quota_bytes = quota_bytes
