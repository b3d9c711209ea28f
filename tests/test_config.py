"""The district config: YAML files written into a temporary folder, read back and checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

import pipeline
from pipeline.config import PLACEHOLDER, Committee, key_line, load_config, slugify
from pipeline.errors import ConfigError, PipelineError
from pipeline.paths import DEFAULT_PROCESSED_DIR

PROJECT_ROOT = Path(pipeline.__file__).resolve().parent.parent

MINIMAL = """\
district: Ashworth Vale
force: Wealdmoor Constabulary
inputs:
  police_uk: police-uk
  lsoa_name_prefix: Ashworth Vale
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A config folder holding an empty police.uk folder."""
    base = tmp_path.resolve() / "config"
    (base / "police-uk").mkdir(parents=True)
    return base


def write(folder: Path, text: str, name: str = "district.yaml") -> Path:
    """Write a config file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def minimal_data() -> dict:
    """The minimal valid config as data, for tests that remove one key."""
    return yaml.safe_load(MINIMAL)


# --- a valid config ----------------------------------------------------------------------------


def test_minimal_config_and_defaults(folder: Path) -> None:
    path = write(folder, MINIMAL)
    config = load_config(path)
    assert config.path == path
    assert config.district == "Ashworth Vale"
    assert config.force == "Wealdmoor Constabulary"
    assert config.police_uk == folder / "police-uk"
    assert config.lsoa_name_prefixes == ("Ashworth Vale",)
    assert config.lsoa_codes == ()
    assert config.output_dir == PROJECT_ROOT / "outputs"
    assert config.processed_dir == DEFAULT_PROCESSED_DIR
    assert config.accept_missing_months == ()
    assert config.committee == Committee()
    committee = config.committee
    assert committee.council is None
    assert committee.committee is None
    assert committee.meeting_date is None
    assert committee.report_author is None
    assert committee.portfolio_holder is None
    assert committee.recommendations == ()
    assert config.slug == "ashworth-vale"
    assert config.selection == (
        "the LSOAs named 'Ashworth Vale' and a number (such as 'Ashworth Vale 001A')"
    )


def test_placeholder_text() -> None:
    # What the cover shows for any committee detail the config leaves out.
    assert PLACEHOLDER == "[to be confirmed]"


def test_values_are_stripped(folder: Path) -> None:
    text = MINIMAL.replace("district: Ashworth Vale", "district: '  Ashworth Vale  '")
    assert load_config(write(folder, text)).district == "Ashworth Vale"


def test_relative_paths_resolve_against_the_config_folder(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path.resolve()
    (root / "raw" / "police-uk").mkdir(parents=True)
    path = write(
        folder,
        """\
district: Ashworth Vale
force: Wealdmoor Constabulary
inputs:
  police_uk: ../raw/police-uk
  lsoa_name_prefix: Ashworth Vale
output_dir: ../out
processed_dir: processed
""",
    )
    # Run from somewhere else entirely: relative paths must not follow the working directory.
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(path)
    assert config.police_uk == root / "raw" / "police-uk"
    assert config.output_dir == root / "out"
    assert config.processed_dir == root / "config" / "processed"


def test_relative_config_path_is_read_from_the_working_directory(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(folder, MINIMAL)
    monkeypatch.chdir(tmp_path)
    config = load_config("config/district.yaml")
    assert config.path == folder / "district.yaml"
    assert config.police_uk == folder / "police-uk"


def test_absolute_police_uk_path(folder: Path, tmp_path: Path) -> None:
    data_folder = tmp_path.resolve() / "downloads"
    data_folder.mkdir()
    text = MINIMAL.replace("police_uk: police-uk", f"police_uk: '{data_folder}'")
    assert load_config(write(folder, text)).police_uk == data_folder


def test_lsoa_codes_as_a_list(folder: Path) -> None:
    path = write(
        folder,
        """\
district: Ashworth Vale
force: Wealdmoor Constabulary
inputs:
  police_uk: police-uk
  lsoa_codes: [E01000001, E01000002, E01000003]
""",
    )
    config = load_config(path)
    assert config.lsoa_name_prefixes == ()
    assert config.lsoa_codes == ("E01000001", "E01000002", "E01000003")
    assert config.selection == "3 listed LSOA codes"


def test_lsoa_codes_as_one_text_value(folder: Path) -> None:
    text = MINIMAL.replace("lsoa_name_prefix: Ashworth Vale", "lsoa_codes: E01000001")
    assert load_config(write(folder, text)).lsoa_codes == ("E01000001",)


def test_committee_block(folder: Path) -> None:
    path = write(
        folder,
        MINIMAL
        + """\
committee:
  council: Ashworth Vale District Council
  name: Communities Overview and Scrutiny Panel
  meeting_date: 2025-10-15
  report_author: Jane Doe
  portfolio_holder: Cllr A. Person
  recommendations:
    - Note the figures.
    - Endorse the action plan.
""",
    )
    assert load_config(path).committee == Committee(
        council="Ashworth Vale District Council",
        committee="Communities Overview and Scrutiny Panel",
        meeting_date=date(2025, 10, 15),
        report_author="Jane Doe",
        portfolio_holder="Cllr A. Person",
        recommendations=("Note the figures.", "Endorse the action plan."),
    )


def test_one_recommendation_as_text(folder: Path) -> None:
    text = MINIMAL + "committee:\n  recommendations: Note the figures.\n"
    assert load_config(write(folder, text)).committee.recommendations == ("Note the figures.",)


def test_meeting_date_as_yaml_date(folder: Path) -> None:
    # Unquoted, YAML reads 2025-10-15 as a date itself.
    text = MINIMAL + "committee:\n  meeting_date: 2025-10-15\n"
    assert load_config(write(folder, text)).committee.meeting_date == date(2025, 10, 15)


def test_meeting_date_as_text(folder: Path) -> None:
    text = MINIMAL + "committee:\n  meeting_date: '2025-10-15'\n"
    meeting = load_config(write(folder, text)).committee.meeting_date
    assert meeting == date(2025, 10, 15)
    assert type(meeting) is date


@pytest.mark.parametrize("bad", ["15/10/2025", "2025-02-30", "next Tuesday"])
def test_bad_meeting_date(folder: Path, bad: str) -> None:
    path = write(folder, MINIMAL + f"committee:\n  meeting_date: '{bad}'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message
    assert "meeting_date" in message
    assert bad in message


def test_accept_missing_months_list(folder: Path) -> None:
    # Unquoted 2024-11 is not a YAML date (no day), so it stays text.
    text = MINIMAL + "accept_missing_months: [2024-11, '2025-01']\n"
    assert load_config(write(folder, text)).accept_missing_months == ("2024-11", "2025-01")


def test_accept_missing_months_one_text_value(folder: Path) -> None:
    text = MINIMAL + "accept_missing_months: 2024-11\n"
    assert load_config(write(folder, text)).accept_missing_months == ("2024-11",)


def test_accept_missing_months_bad_month(folder: Path) -> None:
    path = write(folder, MINIMAL + "accept_missing_months: [not a month]\n")
    with pytest.raises(ConfigError, match="accept_missing_months"):
        load_config(path)


# --- errors ------------------------------------------------------------------------------------


def test_config_error_is_a_pipeline_error() -> None:
    assert issubclass(ConfigError, PipelineError)


@pytest.mark.parametrize("key", ["district", "force", "inputs"])
def test_missing_required_top_level_key(folder: Path, key: str) -> None:
    data = minimal_data()
    del data[key]
    path = write(folder, yaml.safe_dump(data))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"'{key}'" in message
    assert str(path) in message
    assert caught.value.path == path


@pytest.mark.parametrize("key", ["district", "force"])
def test_empty_required_key(folder: Path, key: str) -> None:
    data = minimal_data()
    data[key] = "   "
    path = write(folder, yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=f"'{key}'"):
        load_config(path)


def test_missing_police_uk_key(folder: Path) -> None:
    data = minimal_data()
    del data["inputs"]["police_uk"]
    path = write(folder, yaml.safe_dump(data))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "inputs.police_uk" in str(caught.value)
    assert "inputs.force_crimes" in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_district_selection(folder: Path) -> None:
    data = minimal_data()
    del data["inputs"]["lsoa_name_prefix"]
    path = write(folder, yaml.safe_dump(data))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "lsoa_name_prefix" in message
    assert "lsoa_codes" in message
    assert str(path) in message


def test_prefix_and_codes_together(folder: Path) -> None:
    path = write(folder, MINIMAL + "  lsoa_codes: [E01000001]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "only one" in message
    assert "lsoa_name_prefix" in message
    assert "lsoa_codes" in message


def test_police_uk_folder_missing(folder: Path) -> None:
    path = write(folder, MINIMAL.replace("police_uk: police-uk", "police_uk: nowhere"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(folder / "nowhere") in message
    assert "does not exist" in message
    assert str(path) in message


def test_police_uk_is_a_file_not_a_folder(folder: Path) -> None:
    (folder / "police.csv").write_text("", encoding="utf-8")
    path = write(folder, MINIMAL.replace("police_uk: police-uk", "police_uk: police.csv"))
    with pytest.raises(ConfigError, match="police.csv"):
        load_config(path)


def test_yaml_syntax_error_names_file_and_line(folder: Path) -> None:
    # Line 5 holds a second "key: value" inside a value: "mapping values are not allowed here".
    text = (
        "district: Ashworth Vale\n"  # 1
        "force: Wealdmoor Constabulary\n"  # 2
        "inputs:\n"  # 3
        "  police_uk: police-uk\n"  # 4
        "  lsoa_name_prefix: Ashworth: Vale\n"  # 5
    )
    path = write(folder, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 5
    message = str(caught.value)
    assert message.startswith(f"Config {path}, line 5: not valid YAML")
    assert "Traceback" not in message


def test_yaml_syntax_error_unclosed_list(folder: Path) -> None:
    # The flow list opened on line 4 meets the block key on line 5 before its "]".
    text = (
        "district: Ashworth Vale\n"  # 1
        "force: Wealdmoor Constabulary\n"  # 2
        "inputs:\n"  # 3
        "  lsoa_codes: [E01000001, E01000002\n"  # 4
        "  police_uk: police-uk\n"  # 5
    )
    path = write(folder, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 5
    assert f"{path}, line 5" in str(caught.value)


def test_file_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path.resolve() / "no-such.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message
    assert "not found" in message


def test_folder_instead_of_file(folder: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder, not a file"):
        load_config(folder)


@pytest.mark.parametrize(
    "text", ["- district: Ashworth Vale\n- force: Wealdmoor Constabulary\n", "", "just text\n"]
)
def test_top_level_must_be_a_mapping(folder: Path, text: str) -> None:
    path = write(folder, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "mapping" in str(caught.value)
    assert str(path) in str(caught.value)


def test_inputs_must_be_a_mapping(folder: Path) -> None:
    path = write(
        folder, "district: Ashworth Vale\nforce: Wealdmoor Constabulary\ninputs: police-uk\n"
    )
    with pytest.raises(ConfigError, match="'inputs'"):
        load_config(path)


def test_committee_must_be_a_mapping(folder: Path) -> None:
    path = write(folder, MINIMAL + "committee: Scrutiny Panel\n")
    with pytest.raises(ConfigError, match="'committee'"):
        load_config(path)


def test_byte_order_mark_is_accepted(folder: Path) -> None:
    # Notepad on Windows may save UTF-8 with a BOM.
    path = folder / "district.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_config(path).district == "Ashworth Vale"


# --- slugify -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ashworth Vale", "ashworth-vale"),
        ("St. Albans & District", "st-albans-district"),
        ("Harborough", "harborough"),
        ("  King's Lynn and West Norfolk  ", "king-s-lynn-and-west-norfolk"),
        ("Stratford-on-Avon", "stratford-on-avon"),
        ("Ynys Môn", "ynys-mon"),  # Welsh circumflex: the letter kept, the accent dropped
        ("Rhondda Cynon Taf / Rhondda Cynon Tâf", "rhondda-cynon-taf-rhondda-cynon-taf"),
        ("!!!", ""),
        ("", ""),
        ("北区", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_a_long_name_is_cut_with_a_hash_so_two_never_share_a_folder():
    long_a, long_b = "Abcdefghij " * 29 + "North", "Abcdefghij " * 29 + "South"
    slug_a, slug_b = slugify(long_a), slugify(long_b)
    assert len(slug_a) == len(slug_b) == 60
    assert slug_a[:52] == "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefg-"
    assert slug_a != slug_b


@pytest.mark.parametrize("name", ["???", "北区"])
def test_a_district_with_no_letters_for_a_folder_is_refused(folder: Path, name: str) -> None:
    path = write(folder, MINIMAL.replace("district: Ashworth Vale", f'district: "{name}"'))
    with pytest.raises(ConfigError, match="has no Latin letters or digits") as caught:
        load_config(path)
    assert caught.value.line == 1


# --- force extract inputs, positive outcomes, small numbers --------------------------------------

FORCE_ONLY = """\
district: Ashworth Vale
force: Wealdmoor Constabulary
inputs:
  force_crimes: extract/crimes.csv
  force_asb: extract/asb.csv
"""


@pytest.fixture
def extract_folder(folder: Path) -> Path:
    """Empty force extract files beside the config (config reading checks only that they exist)."""
    (folder / "extract").mkdir()
    for name in ("crimes.csv", "asb.csv"):
        (folder / "extract" / name).write_text("", encoding="utf-8")
    return folder


def test_force_extract_without_police_uk_or_selection(extract_folder: Path) -> None:
    config = load_config(write(extract_folder, FORCE_ONLY))
    assert config.force_crimes == extract_folder / "extract" / "crimes.csv"
    assert config.force_asb == extract_folder / "extract" / "asb.csv"
    assert config.police_uk is None
    assert config.uses_force_extract
    assert not config.needs_police_uk
    assert config.selection == "the force extract (already the district's own)"


def test_police_uk_config_has_no_force_extract(folder: Path) -> None:
    config = load_config(write(folder, MINIMAL))
    assert config.force_crimes is None
    assert not config.uses_force_extract
    assert config.needs_police_uk


def test_force_crimes_with_police_uk_takes_asb_from_police_uk(extract_folder: Path) -> None:
    text = MINIMAL + "  force_crimes: extract/crimes.csv\n"
    config = load_config(write(extract_folder, text))
    assert config.uses_force_extract
    assert config.needs_police_uk


def test_both_sources_complete_need_no_police_uk(extract_folder: Path) -> None:
    text = MINIMAL + "  force_crimes: extract/crimes.csv\n  force_asb: extract/asb.csv\n"
    config = load_config(write(extract_folder, text))
    assert config.police_uk == extract_folder / "police-uk"
    assert not config.needs_police_uk


def test_force_crimes_alone_has_no_asb_source(extract_folder: Path) -> None:
    text = FORCE_ONLY.replace("  force_asb: extract/asb.csv\n", "")
    with pytest.raises(ConfigError, match="inputs.force_asb or inputs.police_uk"):
        load_config(write(extract_folder, text))


def test_force_asb_alone_is_refused(extract_folder: Path) -> None:
    text = MINIMAL + "  force_asb: extract/asb.csv\n"
    with pytest.raises(ConfigError, match="inputs.force_asb needs inputs.force_crimes"):
        load_config(write(extract_folder, text))


def test_force_extract_file_that_does_not_exist(extract_folder: Path) -> None:
    text = FORCE_ONLY.replace("extract/crimes.csv", "extract/crimes-2025.csv")
    with pytest.raises(ConfigError) as caught:
        load_config(write(extract_folder, text))
    assert "inputs.force_crimes" in str(caught.value)
    assert str(extract_folder / "extract" / "crimes-2025.csv") in str(caught.value)


def test_default_positive_outcomes_and_small_numbers(extract_folder: Path) -> None:
    config = load_config(write(extract_folder, FORCE_ONLY))
    assert config.positive_outcomes == ("1", "1A", "2", "3", "4", "6", "7", "8")
    assert config.small_numbers_threshold == 50


def test_positive_outcomes_in_any_case_as_numbers_or_text(extract_folder: Path) -> None:
    text = FORCE_ONLY + "positive_outcomes: [1, 1a, '8', 22]\n"
    config = load_config(write(extract_folder, text))
    assert config.positive_outcomes == ("1", "1A", "8", "22")


@pytest.mark.parametrize("value", ["[1, 23]", "[1, 1B]", "[]"])
def test_bad_positive_outcomes(extract_folder: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="positive_outcomes"):
        load_config(write(extract_folder, FORCE_ONLY + f"positive_outcomes: {value}\n"))


def test_small_numbers_threshold(extract_folder: Path) -> None:
    config = load_config(write(extract_folder, FORCE_ONLY + "small_numbers_threshold: 50\n"))
    assert config.small_numbers_threshold == 50


@pytest.mark.parametrize("value", ["0", "-5", "ten", "2.5", "true"])
def test_bad_small_numbers_threshold(extract_folder: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="small_numbers_threshold"):
        load_config(write(extract_folder, FORCE_ONLY + f"small_numbers_threshold: {value}\n"))


# --- the line a problem is on ------------------------------------------------------------------


def test_key_line_finds_nested_keys_and_list_items(folder: Path) -> None:
    path = write(
        folder,
        MINIMAL  # lines 1-5
        + "committee:\n"  # 6
        + "  name: Panel\n"  # 7
        + "accept_missing_months:\n"  # 8
        + "  - 2024-11\n"  # 9
        + "  - 2024-12\n",  # 10
    )
    assert key_line(path, ("district",)) == 1
    assert key_line(path, ("inputs", "lsoa_name_prefix")) == 5
    assert key_line(path, ("committee", "name")) == 7
    assert key_line(path, ("accept_missing_months", 1)) == 10
    # A key that is not written, or an item past the end, gives the nearest line found.
    assert key_line(path, ("accept_missing_months", 5)) == 8
    assert key_line(path, ("nowhere",)) is None


def test_key_line_of_an_unreadable_file_is_none(folder: Path) -> None:
    assert key_line(folder / "missing.yaml", ("district",)) is None
    assert key_line(write(folder, "district: [\n"), ("district",)) is None


def test_bad_accepted_month_names_its_line(folder: Path) -> None:
    path = write(folder, MINIMAL + "accept_missing_months:\n  - 2024-11\n  - 2024-13\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 8
    assert str(caught.value) == (
        f"Config {path}, line 8: accept_missing_months: '2024-13' is not a month like 2024-11 "
        "(a year, a hyphen and a month from 01 to 12)."
    )


def test_unknown_positive_outcome_names_its_line(extract_folder: Path) -> None:
    path = write(extract_folder, FORCE_ONLY + "positive_outcomes: [1, 9Z]\n")
    line = len(FORCE_ONLY.splitlines()) + 1
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(
        f"Config {path}, line {line}: positive_outcomes: '9Z' is not a Home Office outcome type"
    )


def test_missing_input_file_names_its_line(extract_folder: Path) -> None:
    text = FORCE_ONLY.replace("extract/crimes.csv", "extract/crimes-2025.csv")
    path = write(extract_folder, text)
    line = 1 + text.splitlines().index("  force_crimes: extract/crimes-2025.csv")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == line


def test_missing_police_uk_folder_names_line_4(folder: Path) -> None:
    path = write(folder, MINIMAL.replace("police_uk: police-uk", "police_uk: nowhere"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 4
    assert "check the name, and that a relative path starts from the config's own folder" in str(
        caught.value
    )


def test_bad_meeting_date_names_its_line(folder: Path) -> None:
    path = write(folder, MINIMAL + "committee:\n  council: Ashworth\n  meeting_date: 2025-13-01\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"Config {path}, line 8: '2025-13-01' is not a real date; expected a date written as "
        "YYYY-MM-DD, such as 2025-10-15."
    )


def test_quoted_meeting_date_that_is_not_a_date_names_its_line(folder: Path) -> None:
    path = write(folder, MINIMAL + "committee:\n  meeting_date: '2025-02-30'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 7
    assert "committee.meeting_date '2025-02-30' is not a date like 2025-10-15" in str(caught.value)


def test_missing_key_has_no_line(folder: Path) -> None:
    path = write(folder, MINIMAL.replace("district: Ashworth Vale\n", ""))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line is None
    assert str(caught.value) == f"Config {path}: required key 'district' is missing or empty."


def test_yaml_syntax_error_names_the_column_and_a_hint(folder: Path) -> None:
    path = write(folder, MINIMAL.replace("prefix: Ashworth Vale", "prefix: Ashworth: Vale"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    # '  lsoa_name_prefix: Ashworth:' : the second colon is the 29th character of line 5.
    assert str(caught.value) == (
        f"Config {path}, line 5: not valid YAML at column 29: mapping values are not allowed "
        "here; put a value that contains ': ' in quotes."
    )


def test_missing_config_file_says_what_to_check(tmp_path: Path) -> None:
    path = tmp_path.resolve() / "no-such.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"Config {path}: file not found; check the file's name and folder."


def test_an_alias_is_refused_so_a_tiny_file_cannot_expand(tmp_path):
    # The "billion laughs": each line repeats the one before nine times. Refused at the first
    # alias, line 2, column 8, at once and without expanding anything.
    path = tmp_path / "laughs.yaml"
    path.write_text(
        'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "district: X\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 2
    assert "refused at column 8: an alias (*name)" in str(caught.value)
    assert "write the value out in full" in str(caught.value)


def test_a_config_over_the_size_limit_is_refused_before_reading(tmp_path):
    from pipeline.config import MAX_YAML_BYTES

    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_YAML_BYTES + 1)
    with pytest.raises(ConfigError, match="1,000,001 bytes, over the 1,000,000-byte limit"):
        load_config(path)
