"""No config value becomes make code: hostile paths are refused at plan time, naming the setting."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import ConfigError, MissingMonthsError, ParameterError
from pipeline.planning import make_plan, write_plan
from pipeline.tracker_template import write_template
from tests.conftest import ASB, street_row, write_config, write_street_file

MONTHS = [str(month) for month in pd.period_range("2023-10", "2025-09", freq="M")]


def police_uk_folder(root):
    """24 months of a burglary and an ASB incident a month in Testville."""
    folder = root / "raw"
    for month in MONTHS:
        rows = [street_row("Burglary", month), street_row(ASB, month), street_row(ASB, month)]
        write_street_file(folder, month, rows)
    return folder


def config_with(tmp_path, key: str, value: str):
    """The small Testville config with one top-level key set to value (quoted for YAML), last."""
    path = write_config(tmp_path, police_uk_folder(tmp_path))
    lines = [line for line in path.read_text().splitlines() if not line.startswith(f"{key}:")]
    lines.append(f'{key}: "{value}"')
    path.write_text("\n".join(lines) + "\n")
    return path, len(lines)


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("output_dir", "out\\nall:\\n\\ttouch pwned", "'\\n'"),
        ("processed_dir", "processed;touch pwned", "';'"),
        ("output_dir", "out:here", "':'"),
        ("commentary_dir", "notes*", "'*'"),
        ("output_dir", "out=1", "'='"),
        ("processed_dir", "50%", "'%'"),
    ],
)
def test_a_path_make_would_read_as_syntax_is_refused_naming_its_key(tmp_path, key, value, shown):
    path, line = config_with(tmp_path, key, value)
    with pytest.raises(ConfigError) as caught:
        make_plan(str(path), "2025-26", "2")
    message = str(caught.value)
    assert message.startswith(f"Config {path}, line {line}: {key}: ")
    assert f"holds {shown}, which make would read as part of its own language" in message
    assert not (tmp_path / "pwned").exists()


def test_a_file_name_in_the_police_uk_folder_make_cannot_take_is_refused(tmp_path):
    path = write_config(tmp_path, police_uk_folder(tmp_path))
    odd = tmp_path / "raw" / "old;copy"  # a month the quarter does not need, found all the same
    write_street_file(odd, "2021-08", [street_row("Burglary", "2021-08")])
    with pytest.raises(ConfigError, match=r"a file in the inputs.police_uk folder: .*holds ';'"):
        make_plan(str(path), "2025-26", "2")


def test_spaces_hashes_and_dollars_are_escaped_not_refused(tmp_path):
    path, _ = config_with(tmp_path, "output_dir", "my outputs #1 $HOME")
    plan = make_plan(str(path), "2025-26", "2")
    fragment = write_plan(plan, tmp_path / "plans").read_text()
    assert r"my\ outputs\ \#1\ $$HOME" in fragment


def test_processed_tables_may_not_be_built_where_reports_are_published(tmp_path):
    path, line = config_with(tmp_path, "processed_dir", str(tmp_path / "outputs"))
    with pytest.raises(ConfigError) as caught:
        make_plan(str(path), "2025-26", "2")
    assert caught.value.line == line
    assert "must be separate folders, neither inside the other" in str(caught.value)
    path, _ = config_with(tmp_path, "processed_dir", str(tmp_path / "outputs" / "processed"))
    with pytest.raises(ConfigError, match="neither inside the other"):
        make_plan(str(path), "2025-26", "2")


def test_outputs_may_not_be_written_into_an_input_folder(tmp_path):
    path, _ = config_with(tmp_path, "output_dir", str(tmp_path / "raw" / "reports"))
    with pytest.raises(ConfigError, match=r"output_dir \(.*\) is inside the input folder"):
        make_plan(str(path), "2025-26", "2")


def test_a_folder_holding_another_districts_report_is_refused(tmp_path):
    path, _ = config_with(tmp_path, "output_dir", str(tmp_path / "outputs"))
    plan = make_plan(str(path), "2025-26", "2")
    quarter = Path(plan.quarter_dir)
    quarter.mkdir(parents=True)
    (quarter / "manifest.json").write_text(json.dumps({"ingest": {"district": "Testville!"}}))
    with pytest.raises(ConfigError, match="already holds the report of 'Testville!'"):
        make_plan(str(path), "2025-26", "2")
    (quarter / "manifest.json").write_text(json.dumps({"ingest": {"district": "Testville"}}))
    assert make_plan(str(path), "2025-26", "2").quarter_dir == str(quarter)  # its own: fine


def test_outputs_beside_single_input_files_are_fine(tmp_path):
    # Outputs beside the config (and beside any single input file) are a fair layout: only
    # folders read as a whole (police.uk's, a tracker's, data/raw) are off limits.
    path, _ = config_with(tmp_path, "output_dir", str(tmp_path / "outputs"))
    assert make_plan(str(path), "2025-26", "2").quarter_dir.startswith(str(tmp_path / "outputs"))


def test_a_financial_year_beyond_the_data_is_refused_at_plan(tmp_path):
    config = write_config(tmp_path, police_uk_folder(tmp_path))
    with pytest.raises(ParameterError) as caught:
        make_plan(str(config), "2030-31", "2")
    assert str(caught.value) == (
        "FY='2030-31' is not valid: expected a year whose quarter 2 the inputs hold: they have "
        "no data for July to September 2030 (they hold October 2023 to September 2025; looked "
        f"in {tmp_path / 'raw'}); leave FY out for the latest they cover, 2025-26, or add the "
        "newer data."
    )
    assert not (tmp_path / "out").exists()


def test_a_quarter_no_year_of_the_data_covers_offers_no_year(tmp_path):
    config = write_config(tmp_path, police_uk_folder(tmp_path))
    with pytest.raises(ParameterError) as caught:
        make_plan(str(config), "2025-26", "3")  # October to December 2025, after the data
    assert str(caught.value).endswith(f"looked in {tmp_path / 'raw'}); add the newer data.")


def test_a_financial_year_with_some_of_its_quarter_goes_on_to_the_month_check(tmp_path):
    config = write_config(tmp_path, police_uk_folder(tmp_path))
    (tmp_path / "raw" / "2025-09-testshire-street.csv").unlink()
    with pytest.raises(MissingMonthsError, match=r"1 month\(s\) .*: 2025-09"):
        make_plan(str(config), "2025-26", "2")


def test_hostile_input_paths_and_the_config_s_own_path_are_refused(tmp_path):
    folder = police_uk_folder(tmp_path)
    hostile = folder.rename(tmp_path / "raw;touch pwned")
    path = write_config(tmp_path, hostile)
    with pytest.raises(ConfigError, match=r"line 3: an input file: .*holds ';'"):
        make_plan(str(path), "2025-26", "2")

    hostile.rename(folder)
    tracker = tmp_path / "tracker|x.xlsx"
    write_template(tracker)
    path = write_config(tmp_path, folder, extra="")
    text = path.read_text().replace("inputs:\n", f"inputs:\n  tracker: {tracker}\n")
    path.write_text(text)
    with pytest.raises(ConfigError, match=r"inputs.tracker: .*holds '\|'"):
        make_plan(str(path), "2025-26", "2")

    odd_folder = tmp_path / "conf=1"
    odd_folder.mkdir()
    moved = write_config(odd_folder, folder)
    with pytest.raises(ConfigError, match=r"the config's own path \(CONFIG\): .*holds '='"):
        make_plan(str(moved), "2025-26", "2")
    assert not (tmp_path / "pwned").exists()


def test_the_fragment_lists_the_ingest_s_own_code_for_make(tmp_path):
    plan = make_plan(str(write_config(tmp_path, police_uk_folder(tmp_path))), "2025-26", "2")
    fragment = write_plan(plan, tmp_path / "plans").read_text()
    (line,) = [text for text in fragment.splitlines() if text.startswith("INGEST_CODE := ")]
    assert "/pipeline/ingest.py " in line and "/pipeline/sources/police_uk.py " in line
    assert "/pipeline/charts.py" not in line and "/pipeline/report.py" not in line
