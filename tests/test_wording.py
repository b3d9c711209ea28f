"""Standing text and per-quarter commentary: read, checked, and placed in the right section."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_commentary, load_config
from pipeline.errors import ConfigError
from pipeline.wording import Wording, default_standing_text, parse_wording, report_wording

HERE = Path("commentary.yaml")


def test_standing_text_then_commentary_with_fill_ins():
    wording = Wording(
        standing={"background": ("{district} has a partnership.",)},
        commentary={"background": ("New this quarter: a {committee} visit.",)},
    )
    assert wording.paragraphs("background", district="Ashworth Vale", committee="panel") == [
        "Ashworth Vale has a partnership.",
        "New this quarter: a panel visit.",
    ]


def test_braces_other_than_the_fill_ins_are_left_alone():
    wording = Wording(standing={"details": ("Use {district}, not {this} or {0}.",)})
    assert wording.paragraphs("details", district="X") == ["Use X, not {this} or {0}."]


def test_a_section_with_no_words_has_no_paragraphs():
    assert Wording().paragraphs("implications.risk") == []


def test_nested_keys_become_sections_and_strings_become_one_paragraph():
    data = {
        "summary": "One paragraph.",
        "implications": {"legal": ["First.", "Second."]},
        "crime_data": {"trends": ["A   line\nwrapped  by YAML."]},
    }
    assert parse_wording(data, HERE, "commentary") == {
        "summary": ("One paragraph.",),
        "implications.legal": ("First.", "Second."),
        "crime_data.trends": ("A line wrapped by YAML.",),
    }


def test_blank_paragraphs_are_dropped():
    assert parse_wording({"details": ["", None, "Kept."]}, HERE, "commentary") == {
        "details": ("Kept.",)
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"implication": {"legal": "x"}},
            "'implication.legal' is not a section of the report; "
            "did you mean 'implications.legal'?",
        ),
        ({"nonsense": "x"}, "'nonsense' is not a section of the report; known: summary, reasons"),
        ({"details": [{"a": 1}]}, "commentary.details: each paragraph must be text, not dict."),
        (["a list"], "'commentary' must be a mapping of report sections to paragraphs."),
    ],
)
def test_bad_wording_is_refused_naming_the_file_and_key(data, message):
    with pytest.raises(ConfigError) as caught:
        parse_wording(data, HERE, "commentary")
    assert str(HERE) in str(caught.value)
    assert message in str(caught.value)


def test_the_package_standing_text_covers_every_implication():
    standing = default_standing_text()
    for key in ("financial", "legal", "risk", "equalities", "data_protection"):
        assert standing[f"implications.{key}"], key


def test_config_wording_replaces_the_package_text_and_commentary_follows():
    wording = report_wording(
        {"implications.financial": ("Our own words.",)},
        {"implications.financial": ("This quarter's note.",)},
    )
    assert wording.paragraphs("implications.financial") == [
        "Our own words.",
        "This quarter's note.",
    ]
    assert wording.paragraphs("implications.risk") == [
        "There are no risks arising from noting this report."
    ]


def test_a_missing_or_empty_commentary_file_means_no_commentary(tmp_path):
    assert load_commentary(tmp_path / "absent.yaml").words == {}
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing to say this quarter\n", encoding="utf-8")
    assert load_commentary(empty).words == {}


def test_a_commentary_file_with_a_syntax_error_names_its_line(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("details:\n  - fine\n  bad: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken.yaml, line \d+: not valid YAML"):
        load_commentary(broken)


def write_config(folder: Path, extra: str = "") -> Path:
    """A minimal force-extract config in folder, with extra lines appended."""
    (folder / "crimes.csv").write_text("x\n", encoding="utf-8")
    (folder / "asb.csv").write_text("x\n", encoding="utf-8")
    path = folder / "district.yaml"
    path.write_text(
        "district: Test Vale\nforce: Testshire Police\n"
        "inputs:\n  force_crimes: crimes.csv\n  force_asb: asb.csv\n" + extra,
        encoding="utf-8",
    )
    return path


def test_commentary_lives_beside_the_config_by_default(tmp_path):
    config = load_config(write_config(tmp_path))
    assert config.commentary_path("2025-26", 2) == (
        tmp_path / "commentary" / "test-vale-2025-26-Q2.yaml"
    )


def test_commentary_dir_moves_it(tmp_path):
    config = load_config(write_config(tmp_path, "commentary_dir: words/here\n"))
    assert config.commentary_path("2024-25", 4) == (
        tmp_path / "words" / "here" / "test-vale-2024-25-Q4.yaml"
    )


def test_config_wording_is_checked_when_the_config_loads(tmp_path):
    path = write_config(tmp_path, "wording:\n  implications:\n    finance: No cost.\n")
    with pytest.raises(ConfigError, match="did you mean 'implications.financial'"):
        load_config(path)
