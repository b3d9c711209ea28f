"""The whole quarter through make, into a temporary folder, checked against the output contract.

A police.uk row the ingest refuses is the bad-input corpus's (`police-uk-unknown-crime-type`, its
steps run in the test process; `police-uk-very-large-file` stops inside notebook 01 through make,
publishing nothing and changing no raw file)."""

from __future__ import annotations

import csv

import pytest

from pipeline.metrics import PERFORMANCE_COLUMNS
from tests.conftest import SAMPLE_RAW, make

pytestmark = pytest.mark.slow  # runs make, a browser or a whole quarter: not in make test-fast

QUARTER_MONTHS = {"2025-07", "2025-08", "2025-09"}


EXTRACT = SAMPLE_RAW / "force-extract"
SOLVED_TYPES = {"1", "1A", "2", "3", "4", "6", "7", "8"}
HOME_OFFICE_ROWS = """\
Anti-Social Behaviour (incidents); All Crime; Victim Based Crime; State Based Crime;
Violence Against the Person; Homicide; Violence with Injury; Death or Serious Injury caused by
Unlawful Driving; Violence without Injury; Stalking and Harassment; Sexual Offences; Rape; Rape -
Under 16 yrs; Rape - Over 16 yrs; Other Sexual Offences; Robbery; Robbery of Business Property;
Robbery of Personal Property; Theft Offences; Burglary; Burglary Residential; Burglary Business and
Community; Vehicle Offences; Theft from a Vehicle; Theft of a Vehicle; Vehicle Interference; Theft;
Theft from the Person; Theft of Pedal Cycle; Shoplifting; Other Theft; Criminal Damage and Arson;
Criminal Damage; Arson; Racially or Religiously Aggravated; Hate Crime; Domestic Abuse; Domestic
Abuse - High Risk; Domestic Abuse - Medium Risk; Domestic Abuse - Standard Risk; Domestic Abuse -
No Risk Assessment; Drug Offences; Trafficking of Drugs; Possession of Drugs; Possession of
Weapons; Public Order; Miscellaneous Crimes against Society"""


def issue_row_names() -> list[str]:
    """The row names as the issue lists them."""
    return [name.strip() for name in " ".join(HOME_OFFICE_ROWS.split("\n")).split(";")]


def extract_rows(name: str) -> list[dict[str, str]]:
    """One of the sample's force extract files, read with the csv module."""
    with (EXTRACT / f"ashworth-vale-{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def independent_quarter_count(crime: bool) -> int:
    """The quarter's offences (or ASB incidents) counted straight from the extract by date."""
    if crime:
        return sum(row["recorded_date"][:7] in QUARTER_MONTHS for row in extract_rows("crimes"))
    return sum(row["date"][:7] in QUARTER_MONTHS for row in extract_rows("asb"))


def independent_quarter_solved() -> int:
    """The quarter's solved outcomes, by outcome date, whenever the crime was recorded."""
    return sum(
        row["outcome_type"] in SOLVED_TYPES and row["outcome_date"][:7] in QUARTER_MONTHS
        for row in extract_rows("crimes")
    )


def test_quarter_folder_holds_the_contracted_files(published):
    names = {path.name for path in published.iterdir()}
    stem = "ashworth-vale-2025-26-Q2"
    assert names == {
        f"{stem}-committee-report.html",
        f"{stem}-committee-report.pdf",
        f"{stem}-committee-report.docx",
        f"{stem}-reviewer.html",
        f"{stem}-tables.xlsx",
        "01_ingest.ipynb",
        "02_analysis.ipynb",
        "03_report.ipynb",
        "manifest.json",
        "tables",
    }
    assert not [name for name in published.parent.iterdir() if name.name.startswith(".")]


@pytest.mark.parametrize("period", ["quarter", "year_to_date", "rolling_12_months"])
def test_tables_have_exactly_the_contract_columns(published, period):
    with (published / "tables" / f"performance_{period}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == PERFORMANCE_COLUMNS
    assert [row[2] for row in rows[1:]] == issue_row_names()
    assert all("," not in cell for row in rows for cell in row)


def test_quarter_figures_match_an_independent_count_of_the_raw_files(published):
    with (published / "tables" / "performance_quarter.csv").open(encoding="utf-8") as handle:
        rows = {row["crime_type"]: row for row in csv.DictReader(handle)}
    all_crime = rows["All Crime"]
    assert int(all_crime["offences_current"]) == independent_quarter_count(crime=True)
    assert int(all_crime["solved_current"]) == independent_quarter_solved()
    asb = rows["Anti-Social Behaviour (incidents)"]
    assert int(asb["offences_current"]) == independent_quarter_count(crime=False)
    assert asb["solved_current"] == "" and asb["pct_da_current"] == ""
    for column in ("offences_current", "offences_previous", "solved_current"):
        victim, state = rows["Victim Based Crime"][column], rows["State Based Crime"][column]
        assert int(all_crime[column]) == int(victim) + int(state)


def test_committee_html_has_no_code_and_states_the_figures(published):
    html = (published / "ashworth-vale-2025-26-Q2-committee-report.html").read_text("utf-8")
    count = independent_quarter_count(crime=True)
    assert f"{count:,}" in html
    assert '<html lang="en-GB">' in html
    assert "import " not in html and "load_config" not in html
    assert "No description has been provided" not in html
    assert html.count("<h1") == 1


def test_reviewer_html_keeps_the_code(published):
    html = (published / "ashworth-vale-2025-26-Q2-reviewer.html").read_text("utf-8")
    assert "load_config" in html and "ingest_quarter" in html


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (["Q=5"], "Q='5' is not valid"),
        (["Q="], "Q='' is not valid"),
        (["Q=2", "FY=2025-2026"], "FY='2025-2026' is not valid"),
        (["Q=2", "FY=2025-27"], "FY='2025-27' is not valid"),
        (["Q=2", "CONFIG=nowhere.yaml"], "nowhere.yaml: file not found"),
    ],
)
def test_bad_parameters_are_refused_in_one_line(variables, message):
    result = make("quarter", *variables)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0]
    assert "Traceback" not in result.stderr


def test_make_variables_never_reach_a_shell(tmp_path):
    marker = tmp_path / "pwned"
    result = make("quarter", f"Q=1; touch {marker}", f"FY=$(touch {marker})")
    assert result.returncode != 0
    assert not marker.exists()


def test_bad_force_extract_row_names_file_rows_value_and_nearest(tmp_path):
    raw = tmp_path / "extract"
    raw.mkdir()
    crimes = extract_rows("crimes")
    crimes[6]["offence_subgroup"] = "Violence with Injuries"  # file row 8 (header is row 1)
    with (raw / "crimes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(crimes[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(crimes)
    (raw / "asb.csv").write_bytes((EXTRACT / "ashworth-vale-asb.csv").read_bytes())
    before = {path.name: path.read_bytes() for path in raw.iterdir()}
    config = tmp_path / "c.yaml"
    config.write_text(
        "district: Ashworth Vale\nforce: Wealdmoor Constabulary\ninputs:\n"
        "  force_crimes: extract/crimes.csv\n  force_asb: extract/asb.csv\n"
        "output_dir: out\nprocessed_dir: proc\n",
        encoding="utf-8",
    )
    result = make("quarter", "Q=2", "FY=2025-26", f"CONFIG={config}")
    assert result.returncode != 0
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "crimes.csv, row 8, column 'offence_subgroup'" in error
    assert "'Violence with Injuries'" in error and "'Violence with Injury'" in error
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "ashworth-vale" / "2025-26" / "Q2").exists()
    assert not (tmp_path / "proc" / "ashworth-vale" / "2025-26" / "Q2").exists()
    assert {path.name: path.read_bytes() for path in raw.iterdir()} == before


def test_every_subgroup_and_overlay_row_matches_a_direct_count(published):
    """Each one-subgroup row and each flag row, counted from the extract by simple rules."""
    with (published / "tables" / "performance_quarter.csv").open(encoding="utf-8") as handle:
        table = {row["crime_type"]: row for row in csv.DictReader(handle)}
    crimes = extract_rows("crimes")
    risk_rows = {
        "Domestic Abuse - High Risk": "High",
        "Domestic Abuse - Medium Risk": "Medium",
        "Domestic Abuse - Standard Risk": "Standard",
        "Domestic Abuse - No Risk Assessment": "",
    }
    selections = {
        **{
            name: (lambda row, name=name: row["offence_subgroup"] == name)
            for name in {row["offence_subgroup"] for row in crimes}
        },
        "Hate Crime": lambda row: row["hate_crime"] == "Y",
        "Racially or Religiously Aggravated": lambda row: (
            row["racially_religiously_aggravated"] == "Y"
        ),
        "Domestic Abuse": lambda row: row["domestic_abuse"] == "Y",
        **{
            name: (lambda row, risk=risk: row["domestic_abuse"] == "Y" and row["da_risk"] == risk)
            for name, risk in risk_rows.items()
        },
    }
    assert len(selections) >= 30
    for name, chosen in selections.items():
        rows = [row for row in crimes if chosen(row)]
        offences = sum(row["recorded_date"][:7] in QUARTER_MONTHS for row in rows)
        solved = sum(
            row["outcome_type"] in SOLVED_TYPES and row["outcome_date"][:7] in QUARTER_MONTHS
            for row in rows
        )
        assert int(table[name]["offences_current"]) == offences, name
        assert int(table[name]["solved_current"]) == solved, name
