"""Units, definitions and source names in both languages, from the catalog, and shown in the reader's language."""

import re

import pytest
import yaml

from catalog.services.loader import CatalogError, catalog_load
from indicators.models import Indicator, Source


def test_every_indicator_has_its_unit_and_definition_in_both_languages(loaded_catalog):
    for indicator in Indicator.objects.all():
        assert indicator.unit_en and indicator.unit_zh, indicator.code
        assert re.search(r"[\u4e00-\u9fff]", indicator.definition_zh), indicator.code


def test_chinese_counting_units_keep_their_scale_in_english(loaded_catalog):
    steel = Indicator.objects.get(code="crude-steel-output")
    assert (steel.unit, steel.unit_en, steel.unit_zh) == ("万吨", "10,000 tonnes", "万吨")


def test_every_source_has_a_chinese_name(loaded_catalog):
    assert not Source.objects.filter(name_zh="").exists()


def test_a_unit_missing_from_the_units_file_stops_the_load(db, catalog_copy):
    path = catalog_copy / "indicators.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(row for row in document["indicators"] if row["code"] == "crude-steel-output")["unit"] = "万吨标准煤"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogError, match="indicator crude-steel-output: unknown unit"):
        catalog_load(directory=catalog_copy)


@pytest.mark.parametrize(
    ("language", "unit", "definition", "source"),
    [
        ("en", "10,000 tonnes", "Monthly output of crude steel", "NBS monthly releases"),
        ("zh-hans", "万吨", "规模以上工业企业粗钢月度产量", "国家统计局月度数据发布"),
    ],
)
def test_the_indicator_page_speaks_the_readers_language(client, loaded_catalog, language, unit, definition, source):
    client.cookies["django_language"] = language
    html = client.get("/indicators/crude-steel-output/").content.decode()
    assert f"<dd>{unit}" in html
    assert definition in html
    assert source in html
