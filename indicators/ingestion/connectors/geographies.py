"""What the connectors share: which geographies an indicator is pulled for."""


def geography_codes(indicator) -> list[str]:
    """The ISO3 codes the indicator is pulled for (China when none are chosen)."""
    codes = [geo.iso3 or geo.code for geo in indicator.geographies.all()]
    return sorted(codes) or ["CHN"]
