"""One typed settings object, read from the environment (prefix ``GOVREPORTS_``) and from a
``.env`` file in the working directory (the environment wins).

Every variable is documented in ``.env.example``. Nothing else in the code base reads
``os.environ`` for configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    # A ``.env`` file in the working directory is read too (the environment wins over it).
    model_config = SettingsConfigDict(
        env_prefix="GOVREPORTS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- warehouse -------------------------------------------------------------------
    warehouse: Path = Field(
        default=ROOT / "data" / "warehouse.duckdb",
        description="DuckDB warehouse file (the embedded default target).",
    )
    warehouse_target: Literal["duckdb", "ducklake"] = Field(
        default="duckdb", description="duckdb: one local file; ducklake: multi-writer lake."
    )
    ducklake_catalog: str | None = Field(
        default=None,
        description="DuckLake catalog (e.g. sqlite:/path/catalog.sqlite or a postgres: DSN).",
    )
    ducklake_data_path: str | None = Field(
        default=None, description="DuckLake data path (local folder or object-store URL)."
    )

    # --- storage ---------------------------------------------------------------------
    data_dir: Path = Field(
        default=ROOT / "data", description="Raw documents (content-addressed) and run files."
    )
    sources: Path = Field(
        default=ROOT / "sources", description="Source registry: a YAML file or a folder of them."
    )
    catalog: Path | None = Field(
        default=None, description="Indicator catalog YAML; default: the bundled copy."
    )
    cms_families: Path | None = Field(
        default=None,
        description="Extra CMS family declarations (YAML), added to the bundled ones.",
    )

    # --- crawler politeness ----------------------------------------------------------
    contact: str = Field(
        default="",
        description="Your contact (URL or e-mail) for the User-Agent; set it before real crawls.",
    )
    min_delay: float = Field(default=1.0, description="Seconds between requests to one host.")
    per_host_concurrency: int = Field(default=1, description="Requests in flight per host.")
    max_hosts_parallel: int = Field(default=16, description="Hosts crawled at once.")
    timeout: float = Field(default=20.0, description="Seconds per request (connect/read).")
    response_deadline: float = Field(
        default=60.0,
        description="Seconds for one whole response, headers and body (a host that trickles "
        "its body byte by byte is cut off here, not after every read).",
    )
    source_deadline: float = Field(
        default=1800.0,
        description="Seconds one source may take per run; past it the source keeps what it "
        "fetched and the rest is read next run.",
    )
    run_lock_wait: float = Field(
        default=0.0,
        description="Seconds a crawl, backfill or re-parse waits for another run on the same "
        "warehouse to end before it gives up (0: stop at once, saying which run holds it).",
    )
    run_deadline: float = Field(
        default=14400.0,
        description="Seconds the crawl of a whole run may take; sources not started by then "
        "are crawled next run.",
    )
    max_retries: int = Field(default=3, description="Retries on timeouts, resets and 5xx.")
    backoff_base: float = Field(default=1.0, description="First retry delay in seconds.")
    max_response_bytes: int = Field(default=20_000_000, description="Cap on one body.")
    max_redirects: int = Field(default=5, description="Redirects followed per request.")
    request_budget: int = Field(default=500, description="Requests per source per run.")
    attachment_tries: int = Field(
        default=3,
        description="Runs a report page waits for an attachment that failed for a passing "
        "reason before it is loaded from what there is.",
    )
    max_list_pages: int = Field(default=50, description="List pages walked per column.")

    # --- secrets (never logged) ------------------------------------------------------
    api_token: SecretStr | None = Field(default=None, description="Reserved for a future API.")
    postgres_dsn: SecretStr | None = Field(
        default=None, description="DuckLake PostgreSQL catalog DSN in production."
    )

    @property
    def user_agent(self) -> str:
        from govreports import __version__

        contact = f"+{self.contact}" if self.contact else "contact not configured"
        return f"govreports/{__version__} ({contact}; research crawler)"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
