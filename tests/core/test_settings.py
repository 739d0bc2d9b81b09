from __future__ import annotations

import re
from pathlib import Path

import pytest

from govreports.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented_in_env_example() -> None:
    documented = set(re.findall(r"GOVREPORTS_([A-Z_]+)=", (REPO / ".env.example").read_text()))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields == documented


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("GOVREPORTS_MIN_DELAY", "0.25")
    s = Settings()
    assert s.warehouse == tmp_path / "w.duckdb"
    assert s.min_delay == 0.25


def test_user_agent_is_honest_and_has_a_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_CONTACT", "mailto:data@example.org")
    ua = Settings().user_agent
    assert ua.startswith("govreports/") and "mailto:data@example.org" in ua
    assert "Mozilla" not in ua


def test_secrets_never_show_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_POSTGRES_DSN", "postgresql://u:hunter2@db/lake")
    s = Settings()
    assert "hunter2" not in repr(s) and "hunter2" not in str(s.model_dump())
    assert s.postgres_dsn is not None
    assert s.postgres_dsn.get_secret_value().endswith("@db/lake")


def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORTS_MIN_DELAY", "soon")
    with pytest.raises(Exception, match="min_delay"):
        Settings()


def test_user_agent_says_so_when_no_contact_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GOVREPORTS_CONTACT", raising=False)
    assert "contact not configured" in Settings().user_agent


def test_a_dot_env_file_is_read_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        "GOVREPORTS_MIN_DELAY=2.5\nGOVREPORTS_CONTACT=mailto:ops@example.org\n"
        "UNRELATED=1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVREPORTS_MIN_DELAY", raising=False)
    monkeypatch.setenv("GOVREPORTS_CONTACT", "mailto:me@example.org")
    s = Settings()
    assert s.min_delay == 2.5
    assert s.contact == "mailto:me@example.org"
