"""`project doctor`: one line per backing service, non-zero exit when any fails."""

from __future__ import annotations

import json
import secrets
import subprocess
from typing import TYPE_CHECKING

import pytest
from tests.contract._moto import MotoS3, create_bucket, free_port
from tests.contract._moto import moto_s3 as moto_s3
from tests.contract._redis import redis_url_fixture  # noqa: F401 - the `redis_url` fixture

if TYPE_CHECKING:
    from tests.e2e.cli.conftest import Cli, MakeCli


def _doctor(cli: Cli, moto: MotoS3, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli.environ(
        AWS_ACCESS_KEY_ID=moto.access_key_id,
        AWS_SECRET_ACCESS_KEY=moto.secret_access_key,
        AWS_DEFAULT_REGION=moto.region,
    )
    return subprocess.run(
        [str(cli.script), "doctor", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
async def bucket(moto_s3: MotoS3) -> str:
    return await create_bucket(moto_s3, f"doctor-{secrets.token_hex(6)}")


def _lines(outcome: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return {line.split()[1]: line for line in outcome.stdout.splitlines()}


def test_doctor_prints_ok_for_the_database_redis_and_s3_when_all_answer(
    make_cli: MakeCli, redis_url: str, moto_s3: MotoS3, bucket: str
) -> None:
    cli = make_cli(
        PROJECT_REDIS_URL=redis_url,
        PROJECT_S3_BUCKET=bucket,
        PROJECT_S3_ENDPOINT_URL=moto_s3.endpoint_url,
        PROJECT_S3_REGION=moto_s3.region,
    )

    outcome = _doctor(cli, moto_s3)

    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    lines = _lines(outcome)
    assert set(lines) == {"database", "redis", "s3"}
    assert all(line.startswith("ok") for line in lines.values())
    assert bucket in lines["s3"]


def test_doctor_with_a_wrong_s3_endpoint_prints_one_failing_line_and_exits_non_zero(
    make_cli: MakeCli, redis_url: str, moto_s3: MotoS3
) -> None:
    wrong = f"http://127.0.0.1:{free_port()}"
    cli = make_cli(
        PROJECT_REDIS_URL=redis_url,
        PROJECT_S3_BUCKET="anything",
        PROJECT_S3_ENDPOINT_URL=wrong,
    )

    outcome = _doctor(cli, moto_s3)

    assert outcome.returncode != 0
    lines = _lines(outcome)
    failing = [name for name, line in lines.items() if line.startswith("FAIL")]
    assert failing == ["s3"]
    assert wrong in lines["s3"]
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_doctor_names_an_unreachable_redis_and_reports_json(
    make_cli: MakeCli, moto_s3: MotoS3
) -> None:
    cli = make_cli(PROJECT_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")

    outcome = _doctor(cli, moto_s3, "--json")

    assert outcome.returncode != 0
    checks = {check["name"]: check for check in json.loads(outcome.stdout)}
    assert checks["redis"]["ok"] is False
    assert checks["database"]["ok"] is True
    assert checks["files"]["ok"] is True


def test_doctor_with_a_bad_setting_ends_in_one_error_line(make_cli: MakeCli) -> None:
    cli = make_cli(PROJECT_REDIS_URL="http://not-redis")

    outcome = cli("doctor")

    assert outcome.returncode == 3
    assert "PROJECT_REDIS_URL" in cli.error_line(outcome)
