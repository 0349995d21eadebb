"""China's National Bureau of Statistics query interface (easyquery.htm?m=QueryData).

Series codes are `<dbcode>:<zb>` (`hgjd:A010301`): hgyd monthly, hgjd quarterly, hgnd annual national data.
Reply shape: `{"returncode": 200, "returndata": {"datanodes": [{"code", "data": {"data", "dotcount",
"hasdata", "strdata"}, "wds": [{"wdcode": "zb", "valuecode"}, {"wdcode": "sj", "valuecode"}]}], "wdnodes":
[{"wdcode": "zb", "nodes": [{"code", "cname", "unit", ...}]}, {"wdcode": "sj", "nodes": [...]}]}}`.
Time codes: `2019` a year, `2019A`…`2019D` quarters one to four, `201909` a month.
"""

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import httpx
from django.conf import settings
from django.utils import timezone

from indicators.ingestion.connectors.time_codes import TimeCodes
from indicators.ingestion.errors import PermanentFetchError
from indicators.ingestion.http import get_json
from indicators.ingestion.records import ObservationRecord, SkippedRecord

DATABASES = {"hgyd": "monthly", "hgjd": "quarterly", "hgnd": "annual"}
# How far back one query reaches, in the interface's own `LAST<n>` time selector.
TIME_WINDOW = {"monthly": "LAST60", "quarterly": "LAST24", "annual": "LAST30"}
_SJ = TimeCodes(what="NBS time code", quarters="ABCD")


def split_series_code(series_code: str) -> tuple[str, str]:
    dbcode, _, zb = series_code.partition(":")
    if dbcode not in DATABASES or not zb:
        raise PermanentFetchError(
            f"NBS series code {series_code!r} is not '<dbcode>:<zb>' with dbcode one of {', '.join(DATABASES)}"
        )
    return dbcode, zb


def parse_sj(code: str, frequency: str) -> datetime.date:
    return _SJ.period(code, frequency)


def query_params(dbcode: str, zb: str) -> dict[str, str]:
    frequency = DATABASES[dbcode]
    dfwds = [{"wdcode": "zb", "valuecode": zb}, {"wdcode": "sj", "valuecode": TIME_WINDOW[frequency]}]
    return {
        "m": "QueryData",
        "dbcode": dbcode,
        "rowcode": "zb",
        "colcode": "sj",
        "wds": "[]",
        "dfwds": json.dumps(dfwds, separators=(",", ":")),
    }


def _zb_node(returndata: dict, zb: str, url: str) -> dict:
    for dimension in returndata.get("wdnodes") or []:
        if dimension.get("wdcode") == "zb":
            for node in dimension.get("nodes") or []:
                if node.get("code") == zb:
                    return node
    raise PermanentFetchError(f"NBS does not know series {zb!r}: its reply from {url} does not describe it")


def _value(data: dict, where: str) -> Decimal:
    text = data.get("strdata")
    raw = text if text not in (None, "") else data.get("data")
    try:
        value = Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        raise PermanentFetchError(f"NBS value {raw!r} at {where} is not a number") from None
    if not value.is_finite():
        raise PermanentFetchError(f"NBS value {raw!r} at {where} is not a finite number")
    return value


def parse_reply(body: object, *, dbcode: str, zb: str, frequency: str, url: str, retrieved: datetime.date):
    """Validate the reply's shape and turn the requested series' nodes into records."""
    if not isinstance(body, dict) or "returncode" not in body:
        raise PermanentFetchError(f"{url}: expected an object with returncode and returndata")
    if body["returncode"] != 200:
        raise PermanentFetchError(f"{url}: NBS answered returncode {body['returncode']}: {body.get('returndata')!r}")
    returndata = body.get("returndata")
    if not isinstance(returndata, dict) or not isinstance(returndata.get("datanodes"), list):
        raise PermanentFetchError(f"{url}: returndata has no list of datanodes")
    node = _zb_node(returndata, zb, url)
    unit = (node.get("unit") or "").strip() or None
    name = node.get("cname") or node.get("name") or zb
    for datanode in returndata["datanodes"]:
        codes = {wd.get("wdcode"): wd.get("valuecode") for wd in datanode.get("wds") or []}
        if codes.get("zb") != zb:
            continue
        sj = str(codes.get("sj") or "")
        data = datanode.get("data")
        if not isinstance(data, dict) or "hasdata" not in data:
            raise PermanentFetchError(f"{url}: datanode {datanode.get('code')!r} has no data object")
        if not data["hasdata"]:
            yield SkippedRecord("NBS marks the figure absent (hasdata false)", f"CHN {sj}")
            continue
        yield ObservationRecord(
            geography_code="CHN",
            period=parse_sj(sj, frequency),
            value=_value(data, f"{zb} {sj}"),
            vintage=f"NBS {dbcode}, retrieved {retrieved.isoformat()}",
            citation=f"National Bureau of Statistics of China, data.stats.gov.cn ({dbcode} {zb} {name})",
            unit=unit,
        )


def fetch(indicator, client: httpx.Client) -> Iterator[ObservationRecord | SkippedRecord]:
    dbcode, zb = split_series_code(indicator.source_series_code)
    if DATABASES[dbcode] != indicator.frequency:
        raise PermanentFetchError(
            f"NBS database {dbcode} is {DATABASES[dbcode]} but indicator {indicator.code} is {indicator.frequency}"
        )
    url = settings.NBS_API_URL
    body = get_json(client, url, query_params(dbcode, zb))
    yield from parse_reply(
        body, dbcode=dbcode, zb=zb, frequency=indicator.frequency, url=url, retrieved=timezone.localdate()
    )
