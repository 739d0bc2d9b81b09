from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from govreports.testweb import TestWeb


@pytest.fixture(scope="module")
def web() -> Iterator[TestWeb]:
    with TestWeb() as w:
        yield w


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0, trust_env=False) as c:
        yield c
