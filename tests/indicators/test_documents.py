"""The method document rendered from Markdown, sanitised, in the reader's language."""

import re
from pathlib import Path

import pytest

from indicators.documents import render_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"
_EXAMPLE = re.compile(r"```yaml example\n.*?```", re.DOTALL)


def test_markdown_tables_and_code_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n`code` and **bold**")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<code>code</code>" in html and "<strong>bold</strong>" in html


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
    ],
)
def test_markup_in_a_document_never_reaches_the_page(markdown):
    html = render_markdown(markdown)
    tags = re.findall(r"<[^>]+>", html)
    assert not [tag for tag in tags if re.search(r"<(script|img)|\son\w+=|javascript:", tag)], tags


def test_the_chinese_edition_carries_the_same_worked_examples():
    english = _EXAMPLE.findall((DOCS / "progress-method.md").read_text(encoding="utf-8"))
    chinese = _EXAMPLE.findall((DOCS / "progress-method.zh.md").read_text(encoding="utf-8"))
    assert chinese == english


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "served", "heading"),
    [("en", "en", "<h2>The progress method</h2>"), ("zh-hans", "zh-Hans", "<h2>进展评估方法</h2>")],
)
def test_the_method_page_renders_the_document_in_the_readers_language(client, language, served, heading):
    client.cookies["django_language"] = language
    html = client.get("/method/").content.decode()
    assert f'<div class="document" lang="{served}">' in html
    assert heading in html
    assert "<table>" in html
    assert '<pre class="document"' not in html
    assert html.count("<h1") == 1
