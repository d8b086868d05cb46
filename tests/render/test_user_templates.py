"""User templates (``template_dir``): override by file name, run sandboxed, fail with file and line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from jinja2.exceptions import SecurityError, UndefinedError

from ecomperf.errors import RenderError
from ecomperf.framework import Framework


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _docx_template(folder: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(folder / "jd.docx"))
    return folder


def test_a_user_template_replaces_the_builtin_one_of_the_same_name(mini: Framework, tmp_path: Path) -> None:
    folder = _write(tmp_path, "jd.md.j2", "{{ jd.title }} / {{ labels.purpose }}: {{ jd.purpose }}\n")
    assert mini.render_jd("store_manager", locale="en", template_dir=folder) == (
        "Store manager / Purpose: Runs the store day to day and delivers its sales target\n"
    )
    # A format whose template the folder does not hold keeps the built-in one.
    assert mini.render_jd("store_manager", format="html", template_dir=folder).startswith("<!DOCTYPE html>")


def test_a_user_template_can_extend_the_builtin_and_override_one_block(mini: Framework, tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "jd.html.j2",
        '{% extends "builtin/jd.html.j2" %}{% block footer %}<footer>ACME HR</footer>{% endblock %}',
    )
    html = mini.render_jd("store_manager", format="html", template_dir=folder)
    assert "<footer>ACME HR</footer>" in html and "<h2>一、基本信息</h2>" in html


def test_user_html_templates_autoescape_too(hostile: Framework, tmp_path: Path) -> None:
    folder = _write(tmp_path, "jd.html.j2", "<p>{{ jd.purpose }}</p>")
    html = hostile.render_jd("manager", locale="en", format="html", template_dir=folder)
    assert html == "<p>Purpose {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_builtin_templates_also_render_inside_the_sandbox(mini: Framework, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for fmt in ("md", "html"):
        sandboxed = mini.render_jd("store_manager", format=fmt, template_dir=empty)
        assert sandboxed == mini.render_jd("store_manager", format=fmt)


def test_sandbox_refuses_python_internals(mini: Framework, tmp_path: Path) -> None:
    folder = _write(tmp_path, "jd.md.j2", "# {{ jd.title }}\n{{ ''.__class__.__mro__ }}\n")
    with pytest.raises(RenderError) as caught:
        mini.render_jd("store_manager", template_dir=folder)
    assert isinstance(caught.value.__cause__, SecurityError)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'jd.md.j2'}:2: template security error: SecurityError: ")
    assert "__class__" in message


def test_sandbox_refuses_reaching_module_globals(mini: Framework, tmp_path: Path) -> None:
    folder = _write(tmp_path, "jd.md.j2", "{{ jd.labels.__init__.__globals__ }}")
    with pytest.raises(RenderError) as caught:
        mini.render_jd("store_manager", template_dir=folder)
    assert isinstance(caught.value.__cause__, SecurityError)


def test_syntax_error_names_file_and_line(mini: Framework, tmp_path: Path) -> None:
    folder = _write(tmp_path, "jd.md.j2", "# {{ jd.title }}\n\n{% for duty in %}\n")
    with pytest.raises(RenderError) as caught:
        mini.render_jd("store_manager", template_dir=folder)
    assert str(caught.value).startswith(f"{folder / 'jd.md.j2'}:3: template syntax error: ")


def test_undefined_name_is_an_error_with_file_and_line(mini: Framework, tmp_path: Path) -> None:
    folder = _write(tmp_path, "jd.md.j2", "# {{ jd.title }}\n{{ jd.salary }}\n")
    with pytest.raises(RenderError) as caught:
        mini.render_jd("store_manager", template_dir=folder)
    assert isinstance(caught.value.__cause__, UndefinedError)
    assert str(caught.value).startswith(f"{folder / 'jd.md.j2'}:2: template error: UndefinedError: ")
    assert "salary" in str(caught.value)


def test_runtime_error_in_an_included_template_names_that_file(mini: Framework, tmp_path: Path) -> None:
    _write(tmp_path, "part.j2", "ok\n{{ 1 // 0 }}\n")
    folder = _write(tmp_path, "jd.md.j2", '{% include "part.j2" %}')
    with pytest.raises(RenderError) as caught:
        mini.render_jd("store_manager", template_dir=folder)
    assert str(caught.value).startswith(f"{folder / 'part.j2'}:2: template error: ZeroDivisionError")


def test_missing_template_folder_is_a_render_error(mini: Framework, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="does not exist or is not a folder"):
        mini.render_jd("store_manager", template_dir=tmp_path / "nope")


def test_user_docx_template_replaces_the_builtin(mini: Framework, tmp_path: Path) -> None:
    folder = _docx_template(tmp_path, "{{ jd.title }} · {{ jd.department }}")
    data = mini.render_jd("store_manager", format="docx", template_dir=folder)
    assert [p.text for p in Document(io.BytesIO(data)).paragraphs] == ["店长 · 电商运营部"]


def test_user_docx_template_runs_sandboxed(mini: Framework, tmp_path: Path) -> None:
    folder = _docx_template(tmp_path, "{{ jd.title }}", "{{ ''.__class__.__mro__ }}")
    with pytest.raises(RenderError) as caught:
        mini.render_jd("store_manager", format="docx", template_dir=folder)
    assert isinstance(caught.value.__cause__, SecurityError)
    assert str(caught.value).startswith(f"{folder / 'jd.docx'} (word/document.xml):")


def test_a_file_that_is_not_a_word_document_is_a_render_error(mini: Framework, tmp_path: Path) -> None:
    (tmp_path / "jd.docx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(RenderError, match="not a Word"):
        mini.render_jd("store_manager", format="docx", template_dir=tmp_path)
