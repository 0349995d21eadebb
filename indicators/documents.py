"""The project's Markdown documents (docs/), rendered for a page: CommonMark with tables, raw HTML never passed on.

markdown-it-py renders with HTML disabled, and nh3 (ammonia) keeps only the tags a document needs, so a document
cannot carry script, style or event attributes onto a page under our CSP.
"""

import functools
from pathlib import Path

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

DOCS = Path(settings.BASE_DIR) / "docs"
ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _demoted(text: str) -> str:
    """Every heading one level down: the page has its own h1, and a document inside it starts at h2."""
    lines, in_code = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
        lines.append(f"#{line}" if not in_code and line.startswith("#") else line)
    return "\n".join(lines)


def render_markdown(text: str) -> SafeString:
    """Markdown as sanitised HTML, its headings under the page's own h1."""
    html = _RENDERER.render(_demoted(text))
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener nofollow")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def document_get(name: str, language: str) -> tuple[SafeString, str] | None:
    """`docs/<name>.md` rendered, in the reader's language where a translation exists, with the language served.

    The Chinese edition is `docs/<name>.zh.md`; without one, the English document is served and says so by its
    language.
    """
    candidates = [(DOCS / f"{name}.zh.md", "zh-Hans")] if language.startswith("zh") else []
    candidates.append((DOCS / f"{name}.md", "en"))
    for path, served in candidates:
        if path.exists():
            return _rendered(path, path.stat().st_mtime_ns), served
    return None


@functools.lru_cache(maxsize=8)
def _rendered(path: Path, modified: int) -> SafeString:
    """A document rendered once per version of its file (the modification time is part of the key)."""
    return render_markdown(path.read_text(encoding="utf-8"))
