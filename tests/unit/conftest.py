from pathlib import Path

import pytest

from tests.unit._auth_kit import AuthKit


@pytest.fixture
def kit(tmp_path: Path) -> AuthKit:
    return AuthKit(outbox=tmp_path / "outbox")
