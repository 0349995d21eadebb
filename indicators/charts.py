"""Figure builders: plain lists in, Plotly figure JSON out. No request, no ORM.

Every figure has a title, axis titles with units and its source in an annotation. Text that admins or
analysts typed (names, units, sources, geographies) is escaped first: plotly.js renders a subset of
HTML in labels. `plotly.io.to_json` escapes `<`, `>` and `/`, so the JSON can sit in a data block.
"""

from __future__ import annotations

import datetime
import html
import textwrap
from dataclasses import dataclass, field

import plotly.graph_objects as go
import plotly.io as pio
from django.utils.translation import gettext as _

HOME_COLOUR = "#b3261e"
PALETTE = ["#1f5fa8", "#2e8540", "#7a4fa3", "#c77700", "#00838f", "#6d4c41", "#5b6475", "#ad1457", "#33691e"]
GUIDE_COLOUR = "#1d2433"
FONT = "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif"


@dataclass
class Series:
    """One geography's figures, oldest first."""

    name: str
    periods: list[datetime.date]
    values: list[float]
    revised: list[bool]
    emphasised: bool = False
    # Per figure: "provisional", "estimated", "break" (a break in series begins) or "".
    flags: list[str] = field(default_factory=list)


# The marker each analyst flag draws, and the legend text that names it.
FLAG_SYMBOLS = {"break": "triangle-up", "provisional": "circle-open", "estimated": "square-open"}


def _flag_legend() -> dict[str, str]:
    return {
        "break": _("Triangle: a break in series begins"),
        "provisional": _("Open circle: provisional figure"),
        "estimated": _("Open square: estimated figure"),
    }


def _flag_hover(flag: str) -> str:
    return {"break": _("break in series"), "provisional": _("provisional"), "estimated": _("estimated")}.get(flag, "")


def _marker_symbol(revised: bool, flag: str) -> str:
    return FLAG_SYMBOLS.get(flag) or ("diamond-open" if revised else "circle")


@dataclass(frozen=True)
class TargetOverlay:
    """Baseline, target, the path required to reach it and the current trend projected to its year."""

    base_period: datetime.date | None = None
    base_value: float | None = None
    target_period: datetime.date | None = None
    target_value: float | None = None
    band: tuple[float, float] | None = None
    required_periods: list[datetime.date] = field(default_factory=list)
    required_values: list[float] = field(default_factory=list)
    projection_periods: list[datetime.date] = field(default_factory=list)
    projection_values: list[float] = field(default_factory=list)
    # Annual targets, one marker per year at the target's value, labelled with the year's verdict.
    annual_periods: list[datetime.date] = field(default_factory=list)
    annual_values: list[float] = field(default_factory=list)
    annual_labels: list[str] = field(default_factory=list)


def _wrapped(text: str, width: int) -> str:
    """Plotly never wraps a title: break escaped text into lines of about `width` characters."""
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def _x(periods: list[datetime.date]) -> list[str]:
    return [period.isoformat() for period in periods]


def _tick_format(frequency: str) -> str:
    return {"annual": "%Y", "quarterly": "%Y-%m", "monthly": "%Y-%m"}.get(frequency, "%Y")


def _layout(*, title: str, unit: str, source: str, frequency: str, compact: bool) -> dict:
    """The unit sits level above the y axis, never rotated beside it, so no title can run into it.

    A card prints its source in its caption, so only the indicator page's larger chart carries it, as a
    subtitle Plotly places under the title (it travels with a downloaded image).
    """
    title_block, title_height = _title_block(title, source, compact)
    unit = _wrapped(unit, 48 if compact else 72)
    unit_lines = unit.count("<br>") + 1
    return {
        "title": title_block,
        "font": {"family": FONT, "color": GUIDE_COLOUR},
        "xaxis": {
            "title": {"text": "" if compact else _("Period")},
            "type": "date",
            "tickformat": _tick_format(frequency),
            "gridcolor": "#eceff3",
            "automargin": True,
        },
        "yaxis": {"automargin": True, "gridcolor": "#eceff3", "zeroline": False},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0},
        "margin": {
            "l": 56,
            "r": 16,
            "t": (22 if compact else 30) + title_height + 15 * unit_lines,
            "b": 36 if compact else 48,
        },
        "height": 260 if compact else 460,
        "autosize": True,
        "showlegend": not compact,
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "hovermode": "x unified" if not compact else "closest",
        "annotations": [_unit_annotation(unit)],
    }


def _title_block(title: str, source: str, compact: bool) -> tuple[dict, int]:
    """The title (and on the indicator page the source as its subtitle), and the pixels both take."""
    title = _wrapped(title, 44 if compact else 64)
    # Anchored to the top, so a title that wraps grows downwards into the margin kept for it.
    block = {
        "text": title,
        "font": {"size": 14 if compact else 17},
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 8},
    }
    height = 20 * (title.count("<br>") + 1)
    if not compact:
        subtitle = _wrapped(_("Source: %(source)s") % {"source": source}, 96)
        block["subtitle"] = {"text": subtitle, "font": {"size": 11}}
        height += 14 * (subtitle.count("<br>") + 1)
    return block, height


def _unit_annotation(unit: str) -> dict:
    return {
        "text": unit,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "yshift": 4,
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": 11, "color": "#5b6475"},
    }


def _break_at_january(periods: list[datetime.date], *columns: list) -> tuple[list, ...]:
    """A year-to-date series restarts each January: a gap (None) before it draws each year as its own line."""
    rows = []
    for index, period in enumerate(periods):
        if index and period.month == 1:
            rows.append((period, *(None for column in columns)))
        rows.append((period, *(column[index] for column in columns)))
    return tuple(list(cells) for cells in zip(*rows, strict=True)) if rows else (periods, *columns)


def _draw_flag_legend(figure: go.Figure, present: set[str]) -> None:
    """A legend entry for each analyst flag the chart shows, so the markers are read, not guessed."""
    for flag, text in _flag_legend().items():
        if flag in present:
            figure.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=text,
                    marker={"symbol": FLAG_SYMBOLS[flag], "size": 9, "color": GUIDE_COLOUR},
                    hoverinfo="skip",
                )
            )


def _draw_neutral_line(figure: go.Figure, value: float | None) -> None:
    """A diffusion index's 50 or an index's 100: the level that means no change, across the whole chart."""
    if value is None:
        return
    figure.add_hline(
        y=value,
        line={"color": GUIDE_COLOUR, "dash": "dot", "width": 1},
        annotation_text=_("Neutral line %(value)s") % {"value": f"{value:g}"},
        annotation_position="top right",
        annotation_font={"size": 10, "color": "#5b6475"},
        annotation_bgcolor="rgba(255,255,255,0.85)",
    )


def compact_figure(
    *,
    title: str,
    unit: str,
    source: str,
    periods: list[datetime.date],
    values: list[float],
    frequency: str,
    target_year: int | None = None,
    target_value: float | None = None,
    year_to_date: bool = False,
    neutral_value: float | None = None,
) -> str:
    """A small chart of the home series, with the target as a point when it is a level."""
    title, unit, source = html.escape(title), html.escape(unit), html.escape(source)
    figure = go.Figure(layout=_layout(title=title, unit=unit, source=source, frequency=frequency, compact=True))
    if year_to_date:
        periods, values = _break_at_january(periods, values)
    _draw_neutral_line(figure, neutral_value)
    home_style = {"line": {"color": HOME_COLOUR, "width": 2}, "marker": {"size": 4}}
    _add_line(figure, periods, values, title, hovertemplate="%{y}<extra></extra>", **home_style)
    target_period = datetime.date(target_year, 1, 1) if target_year is not None else None
    target_marker = {"symbol": "star", "size": 12, "color": GUIDE_COLOUR}
    _add_point_marker(figure, _one_point(target_period, target_value), _("Target"), target_marker)
    return pio.to_json(figure, validate=False)


def indicator_figure(
    *,
    title: str,
    unit: str,
    source: str,
    frequency: str,
    series: list[Series],
    overlay: TargetOverlay,
    year_to_date: bool = False,
    neutral_value: float | None = None,
) -> str:
    """The indicator page's chart: each geography, and the target overlay for the home geography.

    A year-to-date series is drawn as one line per year, broken at each January, not as a sawtooth."""
    title, unit, source = html.escape(title), html.escape(unit), html.escape(source)
    figure = go.Figure(layout=_layout(title=title, unit=unit, source=source, frequency=frequency, compact=False))
    _draw_neutral_line(figure, neutral_value)
    _draw_target_band(figure, overlay)
    colours = iter(PALETTE)
    for one in series:
        colour = HOME_COLOUR if one.emphasised else next(colours, GUIDE_COLOUR)
        _draw_series(figure, one, colour, year_to_date)
    _draw_flag_legend(figure, {flag for one in series for flag in one.flags if flag})
    _draw_overlay_paths(figure, overlay)
    _draw_overlay_points(figure, overlay)
    return pio.to_json(figure, validate=False)


def _draw_target_band(figure: go.Figure, overlay: TargetOverlay) -> None:
    if overlay.band is None or overlay.base_period is None or overlay.target_period is None:
        return
    low, high = overlay.band
    band_x = _x([overlay.base_period, overlay.target_period])
    figure.add_trace(
        go.Scatter(x=band_x, y=[low, low], mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False)
    )
    figure.add_trace(
        go.Scatter(
            x=band_x,
            y=[high, high],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(46,133,64,0.15)",
            name=_("Target band"),
            hoverinfo="skip",
        )
    )


def _draw_series(figure: go.Figure, one: Series, colour: str, year_to_date: bool) -> None:
    """One geography's line; revised and flagged figures get larger markers of their own shape."""
    name = html.escape(one.name)
    flags = one.flags or [""] * len(one.periods)
    periods, values, revised = one.periods, one.values, one.revised
    if year_to_date:
        periods, values, revised, flags = _break_at_january(periods, values, revised, flags)
    _add_line(
        figure,
        periods,
        values,
        name,
        line={"color": colour, "width": 3 if one.emphasised else 1.5},
        marker={
            "size": [9 if was or flag else 5 for was, flag in zip(revised, flags, strict=True)],
            "symbol": [_marker_symbol(was, flag) for was, flag in zip(revised, flags, strict=True)],
            "color": colour,
        },
        customdata=[
            " ".join(part for part in (_("revised") if was else "", _flag_hover(flag)) if part)
            for was, flag in zip(revised, flags, strict=True)
        ],
        hovertemplate=f"{name}: %{{y}} %{{customdata}}<extra></extra>",
    )


def _add_line(figure: go.Figure, periods: list, values: list, name: str, **style) -> None:
    """A geography's series as a line with a marker at each figure, the way every chart draws one."""
    figure.add_trace(go.Scatter(x=_x(periods), y=values, mode="lines+markers", name=name, **style))


def _add_overlay_trace(figure: go.Figure, periods: list, values: list, **style) -> None:
    """One part of the target overlay, drawn only where the overlay has points for it."""
    if periods:
        figure.add_trace(go.Scatter(x=_x(periods), y=values, **style))


def _one_point(period: datetime.date | None, value: float | None) -> tuple[list, list]:
    """A single marker's coordinates, or none when either is unknown."""
    if period is None or value is None:
        return [], []
    return [period], [value]


def _add_point_marker(figure: go.Figure, point: tuple[list, list], name: str, marker: dict) -> None:
    """A labelled single marker (a baseline or a target) whose hover gives its value."""
    _add_overlay_trace(
        figure, *point, mode="markers", name=name, marker=marker, hovertemplate=name + ": %{y}<extra></extra>"
    )


def _draw_overlay_paths(figure: go.Figure, overlay: TargetOverlay) -> None:
    """The path the target requires and the current trend projected, both dashed."""
    paths = (
        (overlay.required_periods, overlay.required_values, _("Path required to reach the target"), _("Required")),
        (overlay.projection_periods, overlay.projection_values, _("Current trend, projected"), _("Projected")),
    )
    styles = ({"color": "#2e8540", "dash": "dash", "width": 2}, {"color": "#5b6475", "dash": "dot", "width": 2})
    for (periods, values, name, hover_name), line in zip(paths, styles, strict=True):
        _add_overlay_trace(
            figure,
            periods,
            values,
            mode="lines",
            name=name,
            line=line,
            hovertemplate=hover_name + ": %{y:.2f}<extra></extra>",
        )


def _draw_overlay_points(figure: go.Figure, overlay: TargetOverlay) -> None:
    """The baseline, the annual targets and the final target as markers."""
    baseline_marker = {"symbol": "square", "size": 11, "color": GUIDE_COLOUR}
    _add_point_marker(figure, _one_point(overlay.base_period, overlay.base_value), _("Baseline"), baseline_marker)
    _add_overlay_trace(
        figure,
        overlay.annual_periods,
        overlay.annual_values,
        mode="markers",
        name=_("Annual target"),
        marker={"symbol": "line-ew-open", "size": 18, "color": "#2e8540", "line": {"width": 3}},
        customdata=[html.escape(label) for label in overlay.annual_labels],
        hovertemplate="%{customdata}<extra></extra>",
    )
    target_marker = {"symbol": "star", "size": 15, "color": "#2e8540"}
    _add_point_marker(figure, _one_point(overlay.target_period, overlay.target_value), _("Target"), target_marker)
