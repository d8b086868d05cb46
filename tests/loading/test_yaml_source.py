"""Source maps built only when asked, and the fast paths of reading YAML giving what the general ones give."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

import ecomperf
from ecomperf.loading import yaml_source
from ecomperf.loading.yaml_source import _Loader, parse_yaml
from tests.conftest import MINI
from tests.loading.test_scaling import counting

TWO_DOCUMENTS = """\
apiVersion: ecomperf/v1
kind: Metric
id: gmv
name: {zh: 成交额, en: GMV}
---
apiVersion: ecomperf/v1
kind: Metric
id: cost
tags:
  - a
  - b
"""


def test_a_clean_load_parses_each_file_once() -> None:
    files = len(list(MINI.rglob("*.yaml")))
    with counting(yaml_source, "_parse") as parsed:
        fw = ecomperf.load(MINI)
    # no problem and no warning asks where anything is: no file is parsed a second time for its positions
    assert fw.warnings == () and parsed[0] == files


def test_the_first_location_asked_parses_the_file_again_once_for_all_its_documents() -> None:
    with counting(yaml_source, "_parse") as parsed:
        documents, problems = parse_yaml(TWO_DOCUMENTS, "m.yaml")
        assert problems == [] and parsed[0] == 1
        # line 4 is `name: {zh: …}`: the key at column 1, its zh entry at column 8 (after "name: {")
        assert str(documents[0].source.span("name", "zh")) == "m.yaml:4:8"
        assert parsed[0] == 2
        # the second document starts at line 6; its list item "b" is on line 11, column 5 (after "  - ")
        assert str(documents[1].source.span("tags", 1)) == "m.yaml:11:5"
        assert str(documents[1].source.span("tags", 7, "nothing")) == "m.yaml:9:1"  # nearest recorded: tags
        assert str(documents[1].source.span()) == "m.yaml:6:1"
        assert parsed[0] == 2  # both maps came from that one second parse


def test_the_lazy_map_is_the_map_recorded_while_building() -> None:
    text = TWO_DOCUMENTS + "---\nbase: &b {x: 1}\nuse: {<<: *b, y: [1, {z: 2}]}\n"
    lazy, _ = parse_yaml(text, "m.yaml")
    eager, _ = yaml_source._parse(text, "m.yaml", yaml_source.has_anchor(text), None)
    assert [dict(d.source.index) for d in lazy] == [d.source.index for d in eager]
    # the third document: `use` on line 14, its merged x taken from the anchor's entry on line 13, column 11
    assert lazy[2].source.index[("use", "x")] == (13, 11) and lazy[2].source.index[("use", "y", 1, "z")] == (14, 23)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_SCALAR = st.one_of(_TEXT, st.integers(-10**6, 10**6), st.booleans(), st.none(), st.floats(allow_nan=False))
_TREE = st.recursive(
    _SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4), max_leaves=20
)


@given(_TREE)
def test_values_read_the_same_with_and_without_the_plain_text_shortcut(value: object) -> None:
    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    fast, fast_problems = parse_yaml(text, "f.yaml")
    # a backslash anywhere (here in a comment) sends every text through the control-character search
    slow, slow_problems = parse_yaml(text + "# \\\n", "f.yaml")
    assert [d.data for d in fast] == [d.data for d in slow]
    assert [(p.code, p.message, p.span) for p in fast_problems] == [(p.code, p.message, p.span) for p in slow_problems]


@given(st.text(st.sampled_from("0123456789+-._eExXoOabcdfinlNTFtrus~<: "), max_size=10), st.booleans())
def test_the_resolver_gives_pyyamls_tag_for_every_scalar(value: str, plain: bool) -> None:
    loader = _Loader("")
    try:
        ours = loader.resolve(yaml.ScalarNode, value, (plain, not plain))
        pyyaml = yaml.resolver.BaseResolver.resolve(loader, yaml.ScalarNode, value, (plain, not plain))
    finally:
        loader.dispose()
    assert ours == pyyaml
    # the three kinds without a tag get the standard ones
    assert _Loader.resolve(loader, yaml.MappingNode, None, (True, False)) == "tag:yaml.org,2002:map"
    assert _Loader.resolve(loader, yaml.SequenceNode, None, (True, False)) == "tag:yaml.org,2002:seq"


@given(st.text(st.sampled_from("a\r\n"), max_size=20))
def test_the_last_line_is_counted_as_editors_count_lines(text: str) -> None:
    body = text.rstrip("\r\n")
    # "a\r\na\ra" ends on line 3: \r\n, then \r, each one break
    assert yaml_source._Positions(text).end[0] == len(yaml_source.editor_lines(body) or [""])
    assert yaml_source._Positions("a\r\na\ra\n").end == (3, 2)
