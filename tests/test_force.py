"""`make force`: every partnership of a force from one force config and the ONS lookup."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
import yaml

from pipeline import force as force_run
from pipeline.errors import ConfigError, InputFileError, NotebookError
from pipeline.force import (
    PartnershipRun,
    SchedulerError,
    build_all,
    district_config,
    failure_summary,
    index_html,
    partnerships_of,
    read_force_config,
    written_configs,
)
from pipeline.paths import PROJECT_ROOT
from pipeline.sources.csp_lookup import Partnership
from tests.conftest import FORCE, make
from tests.test_messy_downloads import month_rows, months_from, write_force

LOOKUP = (
    "LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM,FID\n"
    "E07000001,Testville,E22000001,Testville,E23000001,Testshire,1\n"
    "E07000002,Northam,E22000002,Twin Towns,E23000001,Testshire,2\n"
    "E07000003,Southam,E22000002,Twin Towns,E23000001,Testshire,3\n"
    "E07000004,Otherton,E22000003,Otherton,E23000002,Othershire,4\n"
)


def write_force_config(folder: Path, police_uk: Path, extra: str = "") -> Path:
    """A force config for Testshire Police with the lookup above beside it."""
    (folder / "lookup.csv").write_text(LOOKUP, encoding="utf-8")
    path = folder / "force.yaml"
    path.write_text(
        f"force: {FORCE}\n"
        "inputs:\n"
        f"  police_uk: {police_uk}\n"
        "  csp_lookup: lookup.csv\n"
        "output_dir: outputs\n"
        "processed_dir: processed\n" + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_force_config(tmp_path, tmp_path / "raw")


def test_a_force_config_needs_the_force_its_files_and_the_lookup(tmp_path):
    path = tmp_path / "force.yaml"
    path.write_text("force: Testshire Police\ninputs:\n  police_uk: raw\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="a force config needs inputs.csp_lookup"):
        read_force_config(path)
    path.write_text("district: Testville\nforce: Testshire Police\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="a force config names no district"):
        read_force_config(path)


def test_each_partnership_s_config_is_the_force_s_with_its_name_authorities_and_own(tmp_path):
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "settings.yaml").write_text(
        "Twin Towns:\n"
        "  committee:\n    council: Twin Towns Council\n"
        "  inputs:\n    tracker: twin-tracker.xlsx\n",
        encoding="utf-8",
    )
    path = write_force_config(
        tmp_path,
        tmp_path / "raw",
        "committee:\n  name: Safer Communities Panel\n"
        "accept_short_months: [2024-11]\n"
        "partnerships: words/settings.yaml\n",
    )
    force = read_force_config(path)
    twin = next(p for p in partnerships_of(force) if p.code == "E22000002")
    data = district_config(force, twin)
    assert data["district"] == "Twin Towns"
    assert data["force"] == FORCE
    assert data["inputs"]["lsoa_name_prefix"] == ["Northam", "Southam"]
    assert data["inputs"]["police_uk"] == str(tmp_path / "raw")
    # the partnership's own settings add to the force's: a committee key each, its own tracker
    assert data["committee"] == {"name": "Safer Communities Panel", "council": "Twin Towns Council"}
    assert data["inputs"]["tracker"] == str(tmp_path / "words" / "twin-tracker.xlsx")
    assert data["accept_short_months"] == ["2024-11"]
    assert data["output_dir"] == str(tmp_path / "outputs")
    assert data["commentary_dir"] == str(tmp_path / "commentary")
    assert "csp_lookup" not in data["inputs"] and "partnerships" not in data
    assert "benchmark" not in data  # no ONS tables named, so no code to compare by


def test_with_ons_tables_each_partnership_is_compared_by_its_own_code(tmp_path):
    path = write_force_config(tmp_path, tmp_path / "raw")
    text = path.read_text(encoding="utf-8").replace(
        "  csp_lookup:", "  ons_tables: ons.xlsx\n  csp_lookup:"
    )
    path.write_text(text, encoding="utf-8")
    force = read_force_config(path)
    [testville, twin] = partnerships_of(force)
    assert district_config(force, twin)["benchmark"] == {"csp_code": "E22000002"}


def test_the_force_s_partnerships_come_from_the_lookup_in_name_order(config):
    partnerships = partnerships_of(read_force_config(config))
    assert [(p.name, p.authorities) for p in partnerships] == [
        ("Testville", ("Testville",)),
        ("Twin Towns", ("Northam", "Southam")),
    ]


def test_a_force_the_lookup_lacks_is_named_with_the_forces_it_has(tmp_path):
    path = write_force_config(tmp_path, tmp_path / "raw")
    path.write_text(
        path.read_text(encoding="utf-8").replace(FORCE, "Kent Police"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="force areas: Othershire, Testshire"):
        partnerships_of(read_force_config(path))


def test_a_partnerships_file_naming_another_force_s_partnership_is_refused(tmp_path):
    (tmp_path / "settings.yaml").write_text("Otherton:\n  committee: {}\n", encoding="utf-8")
    path = write_force_config(tmp_path, tmp_path / "raw", "partnerships: settings.yaml\n")
    with pytest.raises(ConfigError, match="names Otherton, not among Testshire Police's"):
        partnerships_of(read_force_config(path))


def test_an_unchanged_config_is_not_rewritten_so_nothing_is_rebuilt(config):
    force = read_force_config(config)
    partnerships = partnerships_of(force)
    first = written_configs(force, partnerships)
    stamps = {code: path.stat().st_mtime_ns for code, path in first.items()}
    again = written_configs(force, partnerships)
    assert {code: path.stat().st_mtime_ns for code, path in again.items()} == stamps
    written = yaml.safe_load(first["E22000002"].read_text(encoding="utf-8"))
    assert written["district"] == "Twin Towns"


def test_one_partnership_failing_stops_none_of_the_others(monkeypatch):
    partnerships = [
        Partnership(f"E2200000{n}", f"P{n}", "Testshire", (f"P{n}",)) for n in (1, 2, 3)
    ]

    def build(partnership, config, environment):
        if partnership.name == "P2":
            return PartnershipRun(partnership, None, "Error: P2's files are short")
        return PartnershipRun(partnership, Path(f"/out/{partnership.name}"), None)

    monkeypatch.setattr(force_run, "build_partnership", build)
    said = []
    configs = {p.code: Path("c.yaml") for p in partnerships}
    runs = build_all(configs, partnerships, said.append, scheduler="threads")
    assert [(run.partnership.name, run.error) for run in runs] == [
        ("P1", None),
        ("P2", "Error: P2's files are short"),
        ("P3", None),
    ]
    assert "[force] P2: Error: P2's files are short" in said


def test_partnerships_failing_alike_are_named_together():
    def failed(name: str, error: str) -> PartnershipRun:
        return PartnershipRun(Partnership("E1", name, "T", (name,)), None, error)

    summary = failure_summary(
        [failed("A", "Error: short"), failed("B", "Error: short"), failed("C", "Error: other")],
        5,
        PROJECT_ROOT / "config" / "force.yaml",
    )
    assert summary.startswith("3 of 5 partnerships were not built (A, B: short; C: other).")


def index_page(tmp_path: Path) -> Path:
    """A force index written as `make force` writes it: a built partnership with its headline
    counts and ONS rate, one that failed, and LSOA names no partnership took."""
    quarter = tmp_path / "out" / "a-and-b" / "2024-25" / "Q3"
    (quarter / "tables").mkdir(parents=True)
    (quarter / "a-and-b-2024-25-Q3-committee-report.html").write_text("", encoding="utf-8")
    with (quarter / "tables" / "performance_quarter.csv").open("w", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["section", "level", "crime_type", "offences_previous", "offences_current"])
        rows.writerow(["Top Level", "0", "Anti-social behaviour", "90", "80"])
        rows.writerow(["Top Level", "0", "All crime", "1200", "1305"])
        rows.writerow(["Violence", "0", "Violence and sexual offences", "400", "410"])
    with (quarter / "tables" / "benchmark.csv").open("w", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(
            ["area_type", "offence_group", "rate", "rate_lower", "rate_upper", "district_is"]
        )
        total = "Total recorded crime (excluding fraud)"
        rows.writerow(["district", total, "51.808", "50.396", "53.250", ""])
        rows.writerow(["district", "Robbery", "0.5", "0.4", "0.6", ""])
        rows.writerow(["force", total, "65.125", "64.446", "65.810", "lower"])
    runs = [
        PartnershipRun(Partnership("E1", "A <&> B", "T", ("A",)), quarter, None),
        PartnershipRun(Partnership("E2", "C", "T", ("C",)), None, "Error: <bad> file"),
    ]
    index = tmp_path / "out" / "force-t" / "2024-25" / "Q3"
    index.mkdir(parents=True)
    path = index / "index.html"
    path.write_text(index_html("T Police", runs, ["Elsewhere (2 LSOAs)"], index), encoding="utf-8")
    return path


def test_the_index_escapes_names_and_says_what_failed(tmp_path):
    page = index_page(tmp_path).read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page
    assert (
        '<a href="../../../a-and-b/2024-25/Q3/a-and-b-2024-25-Q3-committee-report.html">'
        "A &lt;&amp;&gt; B</a>"
    ) in page
    # all crime first, then ASB: 1,200 to 1,305 and 90 to 80; no other row
    assert page.index("All crime, a year before") < page.index("Anti-social behaviour, a year")
    assert '<td class="number">1,200</td><td class="number">1,305</td>' in page
    assert "Violence and sexual offences" not in page
    assert "Not built: Error: &lt;bad&gt; file" in page
    assert "Elsewhere (2 LSOAs)" in page
    # the ONS rate in a table of its own: 51.808 -> 51.8; 53.250 -> 53.3 (half up); lower
    assert (
        '<tr><th scope="row">A &lt;&amp;&gt; B</th><td class="number">51.8</td>'
        '<td class="number">50.4 to 53.3</td><td>lower</td></tr>'
    ) in page


@pytest.mark.slow  # runs make for a force of two partnerships, and for each one alone
def test_make_force_builds_every_partnership_as_its_own_run_would(tmp_path):
    raw = tmp_path / "raw"

    def rows(month: str) -> list:
        return (
            month_rows(month, crimes=3, asb=1, lsoa="Testville 001A")
            + month_rows(month, crimes=2, asb=2, lsoa="Northam 002B")
            + month_rows(month, crimes=1, asb=0, lsoa="Southam 003C")
            + month_rows(month, crimes=1, asb=1, lsoa="Elsewhere 004D")
        )

    write_force(raw, months_from(), rows_for=rows)
    config = write_force_config(tmp_path, raw)
    result = make("force", "Q=2", "FY=2025-26", f"CONFIG={config}")
    assert result.returncode == 0, result.stderr
    assert "LSOA names in the files" in result.stderr and "Elsewhere (1)" in result.stderr
    index = tmp_path / "outputs" / "force-testshire-police" / "2025-26" / "Q2" / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "Twin Towns" in page and "Elsewhere (1 LSOA)" in page
    # Twin Towns: Northam's 2 crimes and Southam's 1 a month, 3 months: 9 in the quarter
    twin = tmp_path / "outputs" / "twin-towns" / "2025-26" / "Q2" / "tables"
    with (twin / "performance_quarter.csv").open(encoding="utf-8") as handle:
        all_crime = next(row for row in csv.DictReader(handle) if row["crime_type"] == "All crime")
    assert (all_crime["offences_previous"], all_crime["offences_current"]) == ("9", "9")
    alone = tmp_path / "alone.yaml"
    alone.write_text(
        f"district: Twin Towns\nforce: {FORCE}\ninputs:\n  police_uk: {raw}\n"
        "  lsoa_name_prefix: [Northam, Southam]\n"
        f"output_dir: {tmp_path / 'alone'}\nprocessed_dir: {tmp_path / 'alone-processed'}\n",
        encoding="utf-8",
    )
    result = make("quarter", "Q=2", "FY=2025-26", f"CONFIG={alone}")
    assert result.returncode == 0, result.stderr
    single = tmp_path / "alone" / "twin-towns" / "2025-26" / "Q2" / "tables"
    for name in ("performance_quarter.csv", "performance_rolling_12_months.csv"):
        assert (single / name).read_bytes() == (twin / name).read_bytes()
    again = make("force", "Q=2", "FY=2025-26", f"CONFIG={config}")
    assert again.returncode == 0 and "[report]" not in again.stderr  # nothing changed


def test_make_force_without_a_config_says_what_it_needs():
    result = subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "pipeline", "force"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CONFIG": ""},
        check=False,
    )
    assert result.returncode != 0
    assert "force config" in result.stderr


def test_the_example_force_config_reads_as_a_force_config():
    force = read_force_config(PROJECT_ROOT / "config" / "example-force.yaml")
    assert force.force == "Derbyshire Constabulary"
    assert force.lookup.name == "LAD17_CSP17_PFA17_lookup_Jan2017.csv"


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow  # a real Dask scheduler and two workers on 127.0.0.1, and make for a force
def test_make_force_runs_its_partnerships_on_a_dask_cluster_at_scheduler(tmp_path):
    raw = tmp_path / "raw"

    def rows(month: str) -> list:
        return month_rows(month, crimes=3, asb=1, lsoa="Testville 001A") + month_rows(
            month, crimes=2, asb=1, lsoa="Northam 002B"
        )

    write_force(raw, months_from(), rows_for=rows)
    config = write_force_config(tmp_path, raw)
    dask = str(PROJECT_ROOT / ".venv" / "bin" / "dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    logs = (tmp_path / "scheduler.log").open("w"), (tmp_path / "workers.log").open("w")
    scheduler = subprocess.Popen(
        [
            dask,
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            address.rsplit(":", 1)[1],
            "--no-dashboard",
        ],
        stdout=logs[0],
        stderr=subprocess.STDOUT,
    )
    workers = subprocess.Popen(
        [
            dask,
            "worker",
            address,
            "--nworkers",
            "2",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--host",
            "127.0.0.1",
        ],
        cwd=PROJECT_ROOT,
        stdout=logs[1],
        stderr=subprocess.STDOUT,
    )
    try:
        result = make("force", "Q=2", "FY=2025-26", f"CONFIG={config}", env={"SCHEDULER": address})
        assert result.returncode == 0, result.stderr
        assert "[force] Twin Towns:" in result.stderr
        served = (tmp_path / "workers.log").read_text(encoding="utf-8")
        assert "Registered to" in served  # the workers joined the scheduler the run used
        for slug in ("testville", "twin-towns"):
            assert (tmp_path / "outputs" / slug / "2025-26" / "Q2" / "manifest.json").exists()
    finally:
        for process in (workers, scheduler):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def test_a_scheduler_that_does_not_answer_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(force_run, "CONNECT_SECONDS", 2)
    partnership = Partnership("E1", "A", "T", ("A",))
    with pytest.raises(SchedulerError, match=r"SCHEDULER=tcp://127.0.0.1:\d+: no Dask scheduler"):
        build_all(
            {"E1": tmp_path / "a.yaml"},
            [partnership],
            lambda line: None,
            scheduler=f"tcp://127.0.0.1:{free_port()}",
        )


def test_a_force_config_whose_inputs_are_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "force.yaml"
    path.write_text("force: Testshire Police\ninputs: raw\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="inputs: must be a mapping"):
        read_force_config(path)


def test_a_street_file_that_fails_its_checks_stops_the_force_once_naming_it(
    config, tmp_path, monkeypatch
):
    raw = tmp_path / "raw"
    write_force(raw, months_from("2024-10", "2025-09"))
    bad = raw / "2025-08-testshire-street.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace("Burglary", "Burglery", 1))
    monkeypatch.setenv("Q", "2")
    monkeypatch.setenv("FY", "2025-26")
    monkeypatch.setenv("SCHEDULER", "threads")
    built = []
    monkeypatch.setattr(force_run, "build_all", lambda *args, **kwargs: built.append(args))
    with pytest.raises(InputFileError) as caught:
        force_run.run_force(config, say=lambda line: None)
    assert caught.value.path == bad and caught.value.row == 2
    assert "Burglery" in str(caught.value)
    assert built == []  # no partnership was started


def test_a_fault_in_one_partnership_s_build_is_its_error_line_alone(monkeypatch):
    def broken(config, environment):
        raise KeyError("performance_quarter")

    monkeypatch.setattr(force_run, "build_quarter", broken)
    run = force_run.build_partnership(
        Partnership("E22000001", "P1", "Testshire", ("P1",)), Path("x"), {}
    )
    assert run.folder is None
    assert run.error.startswith("Error: the build stopped unexpectedly (KeyError: ")


def short_august(raw: Path) -> Path:
    """Two years of the force's files to September 2025, August's ASB missing (0 against 4)."""
    write_force(
        raw, months_from(), lambda month: month_rows(month, asb=0 if month == "2025-08" else 4)
    )
    return raw / "2025-08-testshire-street.csv"


def test_a_month_every_partnership_would_refuse_stops_the_force_once(config, tmp_path, monkeypatch):
    august = short_august(tmp_path / "raw")
    monkeypatch.setenv("Q", "2")
    monkeypatch.setenv("FY", "2025-26")
    monkeypatch.setenv("SCHEDULER", "threads")
    built = []
    monkeypatch.setattr(force_run, "build_all", lambda *args, **kwargs: built.append(args))
    with pytest.raises(force_run.ForceMonthsError) as caught:
        force_run.run_force(config, say=lambda line: None)
    said = str(caught.value)
    assert said.startswith(f"{august}: 0 anti-social behaviour rows, under half the median")
    assert "of the other months read (4)" in said
    assert (
        f"reads these files, so none was built: a setting for all of them goes in the force "
        f"config, {config}." in said
    )
    assert built == []  # no partnership was started


@pytest.mark.parametrize(
    ("force_setting", "own_settings"),
    [
        ("accept_short_months: [2025-08]\n", ""),  # the force's: for every partnership
        ("partnerships: own.yaml\n", "Twin Towns:\n  accept_short_months: [2025-08]\n"),
    ],
)
def test_a_month_a_partnership_accepts_lets_the_force_go_on(
    tmp_path, monkeypatch, force_setting, own_settings
):
    short_august(tmp_path / "raw")
    (tmp_path / "own.yaml").write_text(own_settings, encoding="utf-8")
    path = write_force_config(tmp_path, tmp_path / "raw", force_setting)
    monkeypatch.setenv("Q", "2")
    monkeypatch.setenv("FY", "2025-26")
    said: list[str] = []
    prepared = force_run.prepare(read_force_config(path), say=said.append)
    assert [p.name for p in prepared.partnerships] == ["Testville", "Twin Towns"]  # each builds
    assert prepared.quarter == tmp_path / "outputs" / "testville" / "2025-26" / "Q2"
    warned = [line for line in said if line.startswith("[warning]") and "August" in line]
    if not own_settings:  # the force's setting: said once, for every partnership
        assert warned == [
            f"[warning] {tmp_path / 'raw' / '2025-08-testshire-street.csv'}: August 2025 has 0 "
            "anti-social behaviour rows against a median of 4; accepted as short "
            "(accept_short_months), so August is left out of both years of every period of the "
            "anti-social behaviour figures that holds it."
        ]
    else:  # Twin Towns' own: its run says it, Testville's run stops on it
        assert warned == []


def test_partnerships_whose_notebooks_failed_alike_are_named_together_once():
    def failed(name: str) -> PartnershipRun:
        error = NotebookError(
            "01_ingest.ipynb", 4, "August is short.", Path(f"/out/{name}/f.ipynb")
        )
        return PartnershipRun(
            Partnership("E1", name, "T", (name,)),
            None,
            f"Error: {error}",
            force_run.shared_words(error),
        )

    summary = failure_summary([failed("A"), failed("B")], 2, PROJECT_ROOT / "force.yaml")
    assert summary.startswith(
        "2 of 2 partnerships were not built (A, B: August is short (stopped in "
        "notebooks/01_ingest.ipynb, cell 4)). Where a notebook failed, it is kept in its "
        "partnership's outputs, in failed/."
    )


def test_the_force_s_month_check_passes_a_config_whose_figures_are_all_a_force_extract(
    config, tmp_path
):
    """Its runs read no police.uk figures, so a short police.uk month stops none of them."""
    from dataclasses import replace

    from pipeline.config import load_config
    from pipeline.financial_year import parse_financial_year
    from pipeline.ingest import check_police_uk_months

    short_august(tmp_path / "raw")
    force = read_force_config(config)
    partnerships = partnerships_of(force)
    written = load_config(written_configs(force, partnerships)[partnerships[0].code])
    district = replace(written, police_uk_store=None)  # the files read, as a run alone reads them
    year = parse_financial_year("2025-26")
    with pytest.raises(InputFileError):
        check_police_uk_months(district, year, 2)
    extract = replace(
        district, force_crimes=tmp_path / "crimes.csv", force_asb=tmp_path / "asb.csv"
    )
    assert check_police_uk_months(extract, year, 2) == []


def test_when_no_partnership_is_built_the_index_is_still_the_quarter_s(
    config, tmp_path, monkeypatch
):
    """It says why each failed, where a run that built some would have put it."""
    write_force(tmp_path / "raw", months_from())
    monkeypatch.setenv("Q", "2")
    monkeypatch.setenv("FY", "2025-26")
    monkeypatch.setenv("SCHEDULER", "threads")

    def all_failing(configs, partnerships, say, **options):
        return [PartnershipRun(p, None, "Error: short") for p in partnerships]

    monkeypatch.setattr(force_run, "build_all", all_failing)
    with pytest.raises(force_run.ForceRunError, match="2 of 2 partnerships were not built"):
        force_run.run_force(config, say=lambda line: None)
    index = tmp_path / "outputs" / "force-testshire-police" / "2025-26" / "Q2" / "index.html"
    assert "Not built: Error: short" in index.read_text(encoding="utf-8")
