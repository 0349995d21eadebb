"""The bulk zip's columns come from its data dictionary (indicators/bulk_columns.csv), table by table."""

import csv

import pytest

from indicators.export_rows import DATA_DICTIONARY, bulk_tables


def _dictionary() -> list[dict]:
    with DATA_DICTIONARY.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _table(name: str):
    return next(table for table in bulk_tables() if table.name == name)


def test_the_dictionary_describes_no_table_the_zip_lacks():
    assert {entry["table"] for entry in _dictionary()} == {table.name for table in bulk_tables()}


def test_a_column_is_read_from_the_field_of_its_name_unless_the_dictionary_gives_a_path():
    commitments = {column.name: column.path for column in _table("commitments").columns}
    assert (commitments["code"], commitments["task"]) == ("code", "task__number")


@pytest.mark.django_db
def test_every_column_path_reads_from_its_tables_query():
    for table in bulk_tables():
        assert table.rows() == []
