"""Fixtures for the catalog tests: the catalog as files, and as loaded into the database."""

import re
import shutil
from pathlib import Path

import pytest

from catalog.services.loader import CATALOG_DIR, catalog_load, catalog_read

SHARED_DATA = Path("/work/shared/data")
SHARED_ARTICLE = Path("/work/shared/seed/new-industrialization-seven-tasks.txt")
# The article is the source of every task and commitment, so the project carries its own copy of it.
ARTICLE = Path(__file__).resolve().parents[2] / "catalog" / "data" / "article.txt"
OUTSIDE_PROJECT = "the shared data folder is outside the project and absent from this clone"


def normalise_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def catalog():
    return catalog_read()


@pytest.fixture
def loaded_catalog(db):
    return catalog_load()


@pytest.fixture
def catalog_copy(tmp_path):
    """A writable copy of the catalog, for tests that change it."""
    directory = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, directory)
    return directory
