"""Configuration from `PROJECT_*` environment variables (and an optional TOML file).

Validated once at start: a bad value stops the process with a message naming the setting.
Embedded defaults need no configuration at all; `PROJECT_ENV=production` insists on real
secrets, an https public URL and explicit choices (SPEC 7, REQUIREMENTS S9).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import ipaddress
import os
import secrets
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import msgspec

from project.domain.model.auth_config import AuthConfig
from project.domain.model.passwords import common_passwords
from project.domain.model.registration import RegistrationMode
from project.domain.model.second_factor import TotpRequirement
from project.domain.model.sessions import SessionPolicy

ENV_PREFIX = "PROJECT_"
MIN_SECRET_BYTES = 32
GENERATED_SECRET_FILE = "secret.key"  # noqa: S105 - a file name
# Words that mark a placeholder copied from a sample config rather than a generated secret.
_DEFAULTISH = ("changeme", "secret", "password", "example", "default", "insecure")


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it and says what to do."""


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TEST = "test"


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str | None = None
    secret_key: str | None = None
    previous_secret_keys: list[str] = msgspec.field(default_factory=list)
    public_url: str = "http://127.0.0.1:8000"
    # Where stored files (snapshots above all) are served from: another origin than the app's
    # keeps their scripts away from its cookies and storage (S24). Defaults to public_url.
    content_url: str | None = None
    # Reverse proxies (addresses or networks) whose X-Forwarded-For/-Proto is believed (S33);
    # from anyone else those headers are ignored. Behind nginx on this host: 127.0.0.1.
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    # Host names (or "*.example.com") the service answers to; any other Host header gets a 400
    # (S33). Empty: in production the hosts of public_url and content_url, elsewhere any host.
    allowed_hosts: list[str] = msgspec.field(default_factory=list)
    # Browser origins ("https://app.example.com") whose scripts may call the API with
    # credentials (S28). Empty: none; "*" is refused.
    cors_origins: list[str] = msgspec.field(default_factory=list)
    # OpenTelemetry tracing of requests (needs the `otel` extra); exporter from OTEL_* vars.
    otel_enabled: bool = False
    # Who may read /metrics, by socket peer address (networks).
    metrics_allowed_networks: list[str] = msgspec.field(
        default_factory=lambda: ["127.0.0.0/8", "::1/128"]
    )
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    registration: RegistrationMode | None = None
    # Who must sign in with a TOTP second factor (S7): none, admins or all; an admin can also
    # require it of single accounts. Until enrolled such a session may only enrol.
    require_totp: TotpRequirement = TotpRequirement.NONE
    access_token_minutes: Annotated[int, msgspec.Meta(ge=1, le=15)] = 15
    refresh_idle_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 14
    refresh_absolute_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 60
    jwt_audience: str = "project-api"
    smtp_host: str | None = None
    smtp_port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_tls: bool = False
    mail_from: str = "project@localhost"
    log_level: str = "INFO"
    log_json: bool | None = None
    debug: bool = False
    auto_migrate: bool | None = None
    redis_url: str | None = None
    redis_prefix: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] = "project:"
    # None: fail closed in production (a down Redis rejects every access token), open elsewhere.
    denylist_fail_closed: bool | None = None
    cache_max_entries: Annotated[int, msgspec.Meta(ge=100, le=10_000_000)] = 10_000
    # The read cache (list pages, tag counts, collection access, session checks; see
    # docs/performance.md). None: on with Redis only, since every process writing (the CLI
    # too) must reach the cache to invalidate it; True in process suits a lone server.
    read_cache: bool | None = None
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    import_max_mib: Annotated[int, msgspec.Meta(ge=1, le=1024)] = 64
    archive_on_save: bool = True
    archive_per_hour: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 60
    # Archive bytes (snapshots, previews, favicons) each user may keep (S23); 0: no limit.
    storage_quota_mib: Annotated[int, msgspec.Meta(ge=0, le=1_048_576)] = 1024
    # Login throttling (S30): attempts per client address per window, and failed logins per
    # account per hour; the per-account backoff is fixed policy (domain/model/throttling.py).
    login_ip_attempts: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 50
    login_ip_window_minutes: Annotated[int, msgspec.Meta(ge=1, le=1440)] = 15
    login_account_failures_per_hour: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 100
    # API rate limits (S31), per minute: per user or personal API token, and per client
    # address for anonymous requests.
    api_user_requests_per_minute: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 600
    api_anonymous_requests_per_minute: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 120
    # Private networks the fetcher may reach anyway (homelab use), e.g. "192.168.1.0/24".
    fetch_allowed_networks: list[str] = msgspec.field(default_factory=list)
    fetch_allowed_ports: list[Annotated[int, msgspec.Meta(ge=1, le=65535)]] = msgspec.field(
        default_factory=lambda: [80, 443]
    )
    fetch_max_mib: Annotated[int, msgspec.Meta(ge=1, le=1024)] = 10
    # None: `project serve` runs the archive worker itself unless Redis is configured.
    worker_in_app: bool | None = None
    worker_concurrency: Annotated[int, msgspec.Meta(ge=1, le=256)] = 4
    archive_lease_seconds: Annotated[float, msgspec.Meta(ge=0.5, le=86_400)] = 300
    archive_retry_base_seconds: Annotated[float, msgspec.Meta(ge=0.05, le=3600)] = 10
    # Filled by `resolve()`; never read from the environment.
    secret_generated: bool = False

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def resolved_database_url(self) -> str:
        assert self.database_url is not None, "call Settings.resolve() first"
        return self.database_url

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def files_url(self) -> str:
        return (self.content_url or self.public_url).rstrip("/")

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def uses_redis(self) -> bool:
        return self.redis_url is not None

    @property
    def uses_read_cache(self) -> bool:
        return self.read_cache if self.read_cache is not None else self.uses_redis

    @property
    def uses_s3(self) -> bool:
        return self.s3_bucket is not None

    @property
    def runs_worker_in_app(self) -> bool:
        return self.worker_in_app if self.worker_in_app is not None else not self.uses_redis

    def allowed_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(cidr, strict=False) for cidr in self.fetch_allowed_networks]

    @property
    def denylist_fails_closed(self) -> bool:
        if self.denylist_fail_closed is None:
            return self.is_production
        return self.denylist_fail_closed

    def blob_signing_key(self) -> bytes:
        """The key that signs the directory store's expiring URLs, derived like the JWT keys."""
        assert self.secret_key is not None, "call Settings.resolve() first"
        return hmac.new(self.secret_key.encode(), b"project/blob-url/v1", hashlib.sha256).digest()

    def metrics_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n, strict=False) for n in self.metrics_allowed_networks]

    def csrf_secret(self) -> str:
        """The key of the browser CSRF tokens (S27), derived so the raw secret signs nothing."""
        assert self.secret_key is not None, "call Settings.resolve() first"
        return hmac.new(self.secret_key.encode(), b"project/csrf/v1", hashlib.sha256).hexdigest()

    def host_allowlist(self) -> list[str]:
        """The Host names to accept (S33); empty means any (development only)."""
        if self.allowed_hosts or not self.is_production:
            return list(self.allowed_hosts)
        urls = [self.public_url, *([self.content_url] if self.content_url else [])]
        return sorted({urlsplit(url).hostname or "" for url in urls} - {""})

    def jwt_keys(self) -> tuple[str, dict[str, bytes]]:
        """The active key id and every accepted (kid -> key), derived from the secrets.

        Keys are derived per purpose so the raw secret signs nothing directly, and each kid is
        a digest of its key, so rotating `PROJECT_SECRET_KEY` (keeping the old one in
        `PROJECT_PREVIOUS_SECRET_KEYS` for a token lifetime) needs no other setting.
        """
        assert self.secret_key is not None, "call Settings.resolve() first"
        keys: dict[str, bytes] = {}
        active = ""
        for index, secret in enumerate([self.secret_key, *self.previous_secret_keys]):
            key = hmac.new(secret.encode(), b"project/access-jwt/v1", hashlib.sha256).digest()
            kid = hashlib.sha256(key).hexdigest()[:16]
            keys[kid] = key
            if index == 0:
                active = kid
        return active, keys

    def auth_config(self) -> AuthConfig:
        mode = self.registration or (
            RegistrationMode.CLOSED if self.is_production else RegistrationMode.OPEN
        )
        return AuthConfig(
            sessions=SessionPolicy(
                access_lifetime=timedelta(minutes=self.access_token_minutes),
                idle_lifetime=timedelta(days=self.refresh_idle_days),
                absolute_lifetime=timedelta(days=self.refresh_absolute_days),
            ),
            registration=mode,
            public_url=self.public_url.rstrip("/"),
            totp_requirement=self.require_totp,
        )

    def resolve(self) -> Settings:
        """Fill derived defaults and enforce the rules; raises SettingsError."""
        _check_url("PROJECT_PUBLIC_URL", self.public_url)
        if self.content_url is not None:
            _check_url("PROJECT_CONTENT_URL", self.content_url)
        if self.database_url is None:
            self.database_url = f"sqlite+aiosqlite:///{(self.data_dir / 'project.db').resolve()}"
        self.database_url = _async_database_url(self.database_url)
        if self.redis_url is not None and not self.redis_url.startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise SettingsError("PROJECT_REDIS_URL must be a redis://, rediss:// or unix:// URL.")
        if self.s3_endpoint_url is not None:
            _check_url("PROJECT_S3_ENDPOINT_URL", self.s3_endpoint_url)
        try:
            self.allowed_networks()
        except ValueError as error:
            raise SettingsError(f"PROJECT_FETCH_ALLOWED_NETWORKS: {error}.") from None
        try:
            for proxy in self.trusted_proxies:
                ipaddress.ip_network(proxy, strict=False)
        except ValueError as error:
            raise SettingsError(f"PROJECT_TRUSTED_PROXIES: {error}.") from None
        try:
            self.metrics_networks()
        except ValueError as error:
            raise SettingsError(f"PROJECT_METRICS_ALLOWED_NETWORKS: {error}.") from None
        for origin in self.cors_origins:
            _check_origin(origin)
        for host in self.allowed_hosts:
            _check_host_pattern(host)
        if self.refresh_idle_days > self.refresh_absolute_days:
            raise SettingsError(
                "PROJECT_REFRESH_IDLE_DAYS cannot exceed PROJECT_REFRESH_ABSOLUTE_DAYS."
            )
        if self.is_production:
            self._check_production()
        elif self.secret_key is None:
            self.secret_key = _generated_secret(self.data_dir)
            self.secret_generated = True
        for name, value in [("PROJECT_SECRET_KEY", self.secret_key or "")] + [
            ("PROJECT_PREVIOUS_SECRET_KEYS", v) for v in self.previous_secret_keys
        ]:
            _check_secret(name, value)
        return self

    def _check_production(self) -> None:
        if self.secret_key is None:
            raise SettingsError(
                "PROJECT_SECRET_KEY is required in production (generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        generated = self.data_dir / GENERATED_SECRET_FILE
        if generated.exists() and generated.read_text().strip() == self.secret_key:
            raise SettingsError(
                "PROJECT_SECRET_KEY is the generated development secret; production needs its own."
            )
        if not self.public_url.startswith("https://"):
            raise SettingsError("PROJECT_PUBLIC_URL must be an https:// URL in production.")
        if self.debug:
            raise SettingsError("PROJECT_DEBUG must be off in production.")


def load_settings(
    environ: Mapping[str, str] | None = None, *, config_file: Path | None = None
) -> Settings:
    """Read settings from a TOML file (if given or named by PROJECT_CONFIG_FILE) then the
    environment, which wins; validate them and fill derived defaults."""
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    named = env.get("PROJECT_CONFIG_FILE")
    file = config_file or (Path(named) if named else None)
    if file is not None:
        try:
            raw.update(tomllib.loads(file.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SettingsError(f"PROJECT_CONFIG_FILE {file}: {error}") from None
    fields = {f.name for f in msgspec.structs.fields(Settings)} - {"secret_generated"}
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX) or key == "PROJECT_CONFIG_FILE":
            continue
        name = key.removeprefix(ENV_PREFIX).lower()
        if name.startswith("test_"):
            continue  # the test suite's own knobs
        if name not in fields:
            raise SettingsError(f"{key} is not a known setting.")
        raw[name] = _parse_env_value(name, value)
    try:
        settings = msgspec.convert(raw, Settings, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as error:
        raise SettingsError(_name_setting(str(error))) from None
    return settings.resolve()


def _decode_path(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError


def _parse_env_value(name: str, value: str) -> Any:
    if name in (
        "previous_secret_keys",
        "fetch_allowed_networks",
        "fetch_allowed_ports",
        "trusted_proxies",
        "allowed_hosts",
        "cors_origins",
        "metrics_allowed_networks",
    ):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _name_setting(message: str) -> str:
    # msgspec says "... - at `$.port`"; name the environment variable instead.
    if "at `$." in message:
        head, _, path = message.partition(" - at `$.")
        field = path.rstrip("`").split(".")[0].split("[")[0]
        return f"{ENV_PREFIX}{field.upper()}: {head}"
    return message


def _check_url(name: str, value: str) -> None:
    if not value.startswith(("http://", "https://")) or len(value) > 2048:
        raise SettingsError(f"{name} must be an http:// or https:// URL.")


def _async_database_url(url: str) -> str:
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return driver + url.removeprefix(plain)
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite:///")):
        return url
    raise SettingsError(
        "PROJECT_DATABASE_URL must be a postgresql:// or sqlite:/// URL "
        "(drivers asyncpg and aiosqlite)."
    )


def _check_origin(origin: str) -> None:
    parts = urlsplit(origin)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise SettingsError(
            f"PROJECT_CORS_ORIGINS: {origin!r} is not an origin like https://app.example.com "
            "(scheme and host, no path; '*' is not allowed)."
        )


def _check_host_pattern(host: str) -> None:
    bare = host.removeprefix("*.")
    if bare.startswith("[") and bare.endswith("]"):  # an IPv6 literal, as in a Host header
        bare = bare[1:-1].replace(":", "")
    if host == "*" or not bare or any(c in bare for c in "/:@ *[]"):
        raise SettingsError(
            f"PROJECT_ALLOWED_HOSTS: {host!r} is not a host name (example.com or *.example.com)."
        )


def _check_secret(name: str, value: str) -> None:
    weak = (
        len(value.encode()) < MIN_SECRET_BYTES
        or len(set(value)) < 12
        or value.casefold() in common_passwords()
        or any(word in value.casefold().replace("-", "").replace("_", "") for word in _DEFAULTISH)
    )
    if weak:
        raise SettingsError(
            f"{name} is too weak: use at least {MIN_SECRET_BYTES} random bytes, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )


def _generated_secret(data_dir: Path) -> str:
    """Create (once) and reuse a random secret kept in the data directory, mode 0600."""
    path = data_dir / GENERATED_SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret
