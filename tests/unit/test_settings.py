import stat
from pathlib import Path

import pytest

from project.domain.model.registration import RegistrationMode
from project.entrypoints.settings import SettingsError, load_settings

STRONG = "q8Zr2mX0pLwV7yT4nB6cK1dF9gH3jS5aE0uI2oR8tY4"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PROJECT_DATA_DIR": str(tmp_path), **extra}


def test_embedded_defaults_need_no_configuration(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path))
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path.resolve()}/project.db"
    assert settings.auth_config().registration is RegistrationMode.OPEN
    assert settings.secret_generated


def test_generated_secret_is_kept_private_and_reused(tmp_path: Path) -> None:
    first = load_settings(_env(tmp_path)).secret_key
    second = load_settings(_env(tmp_path)).secret_key
    assert first == second
    mode = stat.S_IMODE((tmp_path / "secret.key").stat().st_mode)
    assert mode == 0o600


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = _env(tmp_path, PROJECT_ENV="production", PROJECT_PUBLIC_URL="https://bm.example")
    with pytest.raises(SettingsError, match="PROJECT_SECRET_KEY is required"):
        load_settings(env)


@pytest.mark.parametrize(
    "weak", ["short", "a" * 64, "changeme" * 5, "password1234567890123456789012345"]
)
def test_production_refuses_weak_secrets(tmp_path: Path, weak: str) -> None:
    env = _env(
        tmp_path,
        PROJECT_ENV="production",
        PROJECT_PUBLIC_URL="https://bm.example",
        PROJECT_SECRET_KEY=weak,
    )
    with pytest.raises(SettingsError, match="PROJECT_SECRET_KEY is too weak"):
        load_settings(env)


def test_production_refuses_the_generated_development_secret(tmp_path: Path) -> None:
    generated = load_settings(_env(tmp_path)).secret_key
    assert generated is not None
    env = _env(
        tmp_path,
        PROJECT_ENV="production",
        PROJECT_PUBLIC_URL="https://bm.example",
        PROJECT_SECRET_KEY=generated,
    )
    with pytest.raises(SettingsError, match="generated development secret"):
        load_settings(env)


def test_production_refuses_an_http_public_url(tmp_path: Path) -> None:
    env = _env(tmp_path, PROJECT_ENV="production", PROJECT_SECRET_KEY=STRONG)
    with pytest.raises(SettingsError, match="PROJECT_PUBLIC_URL must be an https"):
        load_settings(env)


def test_production_defaults_to_closed_registration(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        PROJECT_ENV="production",
        PROJECT_PUBLIC_URL="https://bm.example",
        PROJECT_SECRET_KEY=STRONG,
    )
    assert load_settings(env).auth_config().registration is RegistrationMode.CLOSED


def test_unknown_setting_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PROJECT_DATABSE_URL is not a known setting"):
        load_settings(_env(tmp_path, PROJECT_DATABSE_URL="sqlite:///x.db"))


def test_out_of_range_value_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PROJECT_PORT"):
        load_settings(_env(tmp_path, PROJECT_PORT="70000"))


def test_access_lifetime_above_fifteen_minutes_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PROJECT_ACCESS_TOKEN_MINUTES"):
        load_settings(_env(tmp_path, PROJECT_ACCESS_TOKEN_MINUTES="60"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ],
)
def test_database_urls_get_the_async_driver(tmp_path: Path, given: str, expected: str) -> None:
    settings = load_settings(_env(tmp_path, PROJECT_DATABASE_URL=given))
    assert settings.resolved_database_url == expected


def test_unsupported_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PROJECT_DATABASE_URL"):
        load_settings(_env(tmp_path, PROJECT_DATABASE_URL="mysql://root@localhost/x"))


def test_rotated_secrets_keep_old_tokens_verifiable(tmp_path: Path) -> None:
    old = load_settings(_env(tmp_path, PROJECT_SECRET_KEY=STRONG))
    rotated = load_settings(
        _env(tmp_path, PROJECT_SECRET_KEY=STRONG[::-1], PROJECT_PREVIOUS_SECRET_KEYS=STRONG)
    )
    old_kid, old_keys = old.jwt_keys()
    new_kid, new_keys = rotated.jwt_keys()
    assert new_kid != old_kid
    assert new_keys[old_kid] == old_keys[old_kid]


def test_toml_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    config = tmp_path / "project.toml"
    config.write_text('port = 9000\nhost = "::1"\n')
    settings = load_settings(_env(tmp_path, PROJECT_PORT="9100"), config_file=config)
    assert (settings.host, settings.port) == ("::1", 9100)


def test_production_answers_only_to_the_hosts_of_its_urls_by_default_S33(tmp_path: Path) -> None:
    settings = load_settings(
        _env(
            tmp_path,
            PROJECT_ENV="production",
            PROJECT_SECRET_KEY=STRONG,
            PROJECT_PUBLIC_URL="https://bm.example:8443/",
            PROJECT_CONTENT_URL="https://files.example",
        )
    )
    assert settings.host_allowlist() == ["bm.example", "files.example"]


def test_explicit_allowed_hosts_win_and_development_allows_any(tmp_path: Path) -> None:
    explicit = load_settings(_env(tmp_path, PROJECT_ALLOWED_HOSTS="bm.example, *.bm.example"))
    assert explicit.host_allowlist() == ["bm.example", "*.bm.example"]
    assert load_settings(_env(tmp_path)).host_allowlist() == []


@pytest.mark.parametrize("bad", ["*", "bm.example:8000", "https://bm.example", "a b", "*."])
def test_a_malformed_allowed_host_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(SettingsError, match="PROJECT_ALLOWED_HOSTS"):
        load_settings(_env(tmp_path, PROJECT_ALLOWED_HOSTS=bad))


@pytest.mark.parametrize(
    "bad", ["*", "app.example.com", "https://app.example.com/path", "ftp://app.example.com"]
)
def test_cors_origins_must_be_explicit_origins_never_a_wildcard_S28(
    tmp_path: Path, bad: str
) -> None:
    with pytest.raises(SettingsError, match="PROJECT_CORS_ORIGINS"):
        load_settings(_env(tmp_path, PROJECT_CORS_ORIGINS=bad))


def test_cors_origins_are_read_as_a_list(tmp_path: Path) -> None:
    settings = load_settings(
        _env(tmp_path, PROJECT_CORS_ORIGINS="https://a.example, http://localhost:5173")
    )
    assert settings.cors_origins == ["https://a.example", "http://localhost:5173"]


def test_the_read_cache_is_on_with_redis_and_off_in_process_unless_asked(tmp_path: Path) -> None:
    redis = {"PROJECT_REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert not load_settings(_env(tmp_path)).uses_read_cache
    assert load_settings(_env(tmp_path, **redis)).uses_read_cache
    assert load_settings(_env(tmp_path, PROJECT_READ_CACHE="true")).uses_read_cache
    assert not load_settings(_env(tmp_path, PROJECT_READ_CACHE="false", **redis)).uses_read_cache
