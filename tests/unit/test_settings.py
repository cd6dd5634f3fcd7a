"""Settings are read from the environment once and every wrong value names its variable."""

import os
from pathlib import Path

import pytest

from coop.settings import SettingsError, from_env

SECRET = "s" * 40


def settings(tmp_path: Path, **env: str):
    return from_env(env, data_dir=tmp_path)


def error(tmp_path: Path, **env: str) -> SettingsError:
    with pytest.raises(SettingsError) as caught:
        settings(tmp_path, **env)
    return caught.value


def test_defaults_are_the_documented_contract(tmp_path):
    s = settings(tmp_path)
    assert s.env == "development"
    assert s.database_url == "sqlite:///data/coop.sqlite"
    assert s.default_tenant == "coop"
    assert s.base_url == "http://127.0.0.1:8000"
    assert s.redis_url is None and s.smtp_url is None
    assert s.pdf_workers == min(32, len(os.sched_getaffinity(0)))  # the number of cores


def test_development_secret_is_made_once_and_kept(tmp_path):
    first = settings(tmp_path).secret_key
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert settings(tmp_path).secret_key == first


def test_test_environment_writes_no_secret(tmp_path):
    settings(tmp_path, COOP_ENV="test")
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"COOP_ENV": "staging"}, "COOP_ENV"),
        ({"DATABASE_URL": "mysql://localhost/coop"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:///"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://localhost"}, "DATABASE_URL"),
        ({"BASE_URL": "coop.example.nl"}, "BASE_URL"),
        ({"BASE_URL": "https://coop.example.nl/app"}, "BASE_URL"),
        ({"BASE_URL": "https://coop.example.nl:99999"}, "BASE_URL"),
        ({"DEFAULT_TENANT": "Not A Slug"}, "DEFAULT_TENANT"),
        ({"PDF_WORKERS": "many"}, "PDF_WORKERS"),
        ({"PDF_WORKERS": "0"}, "PDF_WORKERS"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL"),
        ({"SMTP_URL": "mail.example.nl"}, "SMTP_URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
    ],
)
def test_wrong_values_name_their_variable(tmp_path, env, variable):
    assert error(tmp_path, **env).variable == variable


def test_production_requires_secret_key(tmp_path):
    assert (
        error(tmp_path, COOP_ENV="production", BASE_URL="https://coop.example.nl").variable
        == "SECRET_KEY"
    )


def test_production_refuses_to_turn_the_rate_limit_off(tmp_path):
    e = error(
        tmp_path,
        COOP_ENV="production",
        SECRET_KEY=SECRET,
        BASE_URL="https://coop.example.nl",
        RATE_LIMIT_PER_MINUTE="0",
    )
    assert e.variable == "RATE_LIMIT_PER_MINUTE"
    assert settings(tmp_path, RATE_LIMIT_PER_MINUTE="0").rate_limit_per_minute == 0


def test_production_requires_https_base_url(tmp_path):
    e = error(tmp_path, COOP_ENV="production", SECRET_KEY=SECRET, BASE_URL="http://coop.example.nl")
    assert e.variable == "BASE_URL"
    assert "https" in e.message


def test_production_with_everything_set(tmp_path):
    s = settings(
        tmp_path,
        COOP_ENV="production",
        SECRET_KEY=SECRET,
        BASE_URL="https://coop.example.nl/",
        DATABASE_URL="postgresql://db.internal/coop",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert s.is_production and s.https
    assert s.base_url == "https://coop.example.nl"
    assert s.host == "coop.example.nl"
    assert not (tmp_path / "secret_key").exists()


def test_several_workers_need_postgresql_and_redis(tmp_path):
    sqlite = settings(tmp_path, COOP_ENV="test")
    sqlite.check_workers(1)
    with pytest.raises(SettingsError) as caught:
        sqlite.check_workers(2)
    assert caught.value.variable == "DATABASE_URL"

    no_redis = settings(tmp_path, COOP_ENV="test", DATABASE_URL="postgresql://db/coop")
    with pytest.raises(SettingsError) as caught:
        no_redis.check_workers(4)
    assert caught.value.variable == "REDIS_URL"

    settings(
        tmp_path, COOP_ENV="test", DATABASE_URL="postgresql://db/coop", REDIS_URL="redis://r:6379"
    ).check_workers(4)
