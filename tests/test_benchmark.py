"""The district against its force, England and Wales and its peers, from ONS tables made by hand:
force Testshire of Northby (the district) and Southton, and Westshire's Westby."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from pipeline.benchmark import BENCHMARK_COLUMNS, check_peers, compare, district_code
from pipeline.config import Config, load_config
from pipeline.errors import ConfigError, InputFileError
from pipeline.paths import PROJECT_ROOT
from pipeline.periods import parse_financial_year
from pipeline.saved_analysis import after_the_quarter
from pipeline.sources.ons import FIRST_GROUP, OnsTables, read_ons_tables

BURGLARY = "Residential burglary"
# csp: (force code, force, total offences, the year before, C4 rate, burglaries, before)
AREAS = {
    "Northby": ("E23000001", "Testshire", 100, 80, 2.0, 10, 12),  # 50,000 people
    "Southton": ("E23000001", "Testshire", 300, 310, 3.0, 30, 20),  # 100,000
    "Westby": ("E23000002", "Westshire", 50, 50, 1.0, 4, 6),  # 50,000
}
CODES = {"Northby": "E22000001", "Southton": "E22000002", "Westby": "E22000003"}


def ons_tables() -> OnsTables:
    rows = []
    for csp, (
        force_code,
        force,
        total,
        before,
        rate,
        burglaries,
        burglaries_before,
    ) in AREAS.items():
        people = round(total * 1000 / rate, -2)
        area = {"force_code": force_code, "force": force, "csp_code": CODES[csp], "csp": csp}
        rows.append(
            area
            | {
                "offence_group": FIRST_GROUP,
                "offences": total,
                "offences_previous": before,
                "rate": rate,
                "population": people,
            }
        )
        rows.append(
            area
            | {
                "offence_group": BURGLARY,
                "offences": burglaries,
                "offences_previous": burglaries_before,
                "rate": burglaries * 1000 / (total * 1000 / rate),
                "population": people,
            }
        )
    unassigned = pd.DataFrame(
        [
            {
                "force_code": "E23000001",
                "force": "Testshire",
                "csp": "Unassigned Testshire",
                "offence_group": FIRST_GROUP,
                "offences": 7,
                "offences_previous": 5,
            }
        ]
    )
    return OnsTables(
        Path("ons.xlsx"),
        "March 2025",
        "March 2024",
        "mid-2023",
        pd.DataFrame(rows),
        unassigned,
        notes={1: "Small numbers.", 4: "An undercount for Testshire.", 9: "Westby's note."},
        noted={"E23000001": (4,), "E22000003": (9,), "E22000002": (1,)},
    )


@pytest.fixture
def compared():
    benchmark = compare(ons_tables(), CODES["Northby"], (CODES["Westby"],))
    return benchmark, benchmark.table.set_index(["area_type", "offence_group"])


def test_the_table_has_its_columns_and_one_row_per_area_and_group(compared):
    benchmark, _ = compared
    assert list(benchmark.table.columns) == BENCHMARK_COLUMNS
    assert list(benchmark.table["area_type"].unique()) == [
        "district",
        "force",
        "england_and_wales",
        "peer_group",
        "peer",
    ]
    assert len(benchmark.table) == 5 * 2
    assert (benchmark.period, benchmark.unassigned_left_out) == ("March 2025", 7)


def test_the_district_s_rate_is_c4_s_with_byar_s_interval(compared):
    _, rows = compared
    district = rows.loc[("district", FIRST_GROUP)]
    # 100 offences, C4 rate 2.0: the rate implies 50,000 people
    assert district["population"] == pytest.approx(50_000)
    assert district["rate"] == pytest.approx(2.0)
    # Byar, 100 events: 100 x (1 - 1/900 - z/30)^3 = 100 x 0.9335568^3 = 81.362;
    # 101 x (1 - 1/909 + z/(3 sqrt 101))^3 = 101 x 1.0639078^3 = 121.628; over 50,000 people,
    # per 1,000: 1.6272 to 2.4326
    assert round(district["rate_lower"], 4) == 1.6272
    assert round(district["rate_upper"], 4) == 2.4326
    assert district["change_pct"] == pytest.approx(25.0)  # 80 to 100


def test_benchmarks_are_sums_of_partnerships_and_the_word_follows_the_interval(compared):
    _, rows = compared
    force = rows.loc[("force", FIRST_GROUP)]
    # Northby and Southton: 400 offences over 150,000 people = 2.6667; above 2.4326: lower
    assert (force["offences"], force["population"]) == (400, pytest.approx(150_000))
    assert force["rate"] == pytest.approx(400 / 150)
    assert force["district_is"] == "lower"
    assert force["change_pct"] == 2.6  # 390 to 400: 2.564...%, to one decimal as the tables give
    # England and Wales: 450 over 200,000 = 2.25, inside 1.6272 to 2.4326: similar
    england = rows.loc[("england_and_wales", FIRST_GROUP)]
    assert england["rate"] == pytest.approx(2.25) and england["district_is"] == "similar"
    # the peer group is Westby alone: 50 over 50,000 = 1.0, below 1.6272: higher
    peers = rows.loc[("peer_group", FIRST_GROUP)]
    assert peers["rate"] == pytest.approx(1.0) and peers["district_is"] == "higher"


def test_the_district_is_ranked_among_itself_and_its_peers(compared):
    _, rows = compared
    assert rows.loc[("district", FIRST_GROUP), "rank"] == 1  # 2.0 against Westby's 1.0
    assert rows.loc[("peer", FIRST_GROUP), "rank"] == 2
    # burglary: Northby 10 of 50,000 = 0.2, Westby 4 of 50,000 = 0.08; 10 events take Byar's
    # interval, 4.787 to 18.391 (tests/test_rates.py), per 1,000 of 50,000: 0.09575 to 0.36783
    burglary = rows.loc[("district", BURGLARY)]
    assert burglary["rate"] == pytest.approx(0.2)
    assert (round(burglary["rate_lower"], 5), round(burglary["rate_upper"], 5)) == (
        0.09575,
        0.36783,
    )
    assert rows.loc[("district", BURGLARY), "rank"] == 1
    # the force's burglaries: 40 over 150,000 = 0.2667, inside 0.0957 to 0.3678: similar, once
    # 40 crimes are enough to set a rate against; by default (50) they are too few: no word
    assert rows.loc[("force", BURGLARY), "district_is"] == ""
    counted = compare(ons_tables(), CODES["Northby"], (CODES["Westby"],), small_base=40)
    force = counted.table.set_index(["area_type", "offence_group"]).loc[("force", BURGLARY)]
    assert force["district_is"] == "similar"


def test_the_caveats_are_the_notes_the_district_its_force_and_its_peers_carry(compared):
    benchmark, _ = compared
    # Testshire's note (Northby's force) and Westby's (a peer); not Southton's: it is only in
    # the force, whose own sum the force's note already qualifies
    assert [(note.number, note.areas) for note in benchmark.caveats] == [
        (4, ("Testshire",)),
        (9, ("Westby",)),
    ]
    assert benchmark.left_out_rows == ("Unassigned Testshire",)


def test_unassigned_crimes_are_matched_to_the_force_by_its_name():
    # as some editions do, the Unassigned row carries another force's code
    tables = ons_tables()
    tables.unassigned.loc[0, "force_code"] = "E23000002"
    assert compare(tables, CODES["Northby"]).unassigned_left_out == 7


REAL = PROJECT_ROOT.parent / "shared" / "realdata" / "ons"
REAL = REAL / "policeforceareatablesyedecember2024.xlsx"


@pytest.mark.slow  # the real workbook: not in make test-fast
@pytest.mark.skipif(not REAL.exists(), reason=f"no real ONS workbook at {REAL}")
def test_three_real_partnerships_rates_are_the_workbook_s_own():
    ons = read_ons_tables(REAL)
    published = ons.partnerships.set_index(["csp_code", "offence_group"])["rate"]
    for code in ("E22000001", "E22000031", "E22000350"):  # Bath, Allerdale, Swindon
        district = compare(ons, code).table.query("area_type == 'district'")
        for row in district.itertuples():
            assert row.rate == pytest.approx(published[(code, row.offence_group)], rel=1e-9)
    # Swindon's 2 homicides, among the 235,657 people its total rate implies (15,264 offences
    # at 64.772105 per 1,000): the exact interval chi-squared(0.025, 4)/2 = 0.24221 to
    # chi-squared(0.975, 6)/2 = 7.22469, per 1,000 people 0.0010278 to 0.030658
    swindon = compare(ons, "E22000350").table.set_index(["area_type", "offence_group"])
    homicide = swindon.loc[("district", "Homicide")]
    assert round(homicide["population"]) == 235_657
    assert (round(homicide["rate_lower"], 7), round(homicide["rate_upper"], 6)) == (
        0.0010278,
        0.030658,
    )
    # the force is Wiltshire's two partnerships, its 238 unassigned crimes left out
    force = swindon.loc[("force", FIRST_GROUP)]
    assert force["offences"] == 15_264 + 24_125


def district_config(tmp_path, district: str, benchmark: str = "") -> Config:
    extract = tmp_path / "crimes.csv"
    extract.write_text("x\n", encoding="utf-8")
    (tmp_path / "asb.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "ons.xlsx").write_bytes(b"")
    path = tmp_path / "c.yaml"
    path.write_text(
        f"district: {district}\nforce: Testshire Police\ninputs:\n  force_crimes: crimes.csv\n"
        f"  force_asb: asb.csv\n  ons_tables: ons.xlsx\n{benchmark}",
        encoding="utf-8",
    )
    return load_config(path)


def test_the_district_is_found_by_its_name_or_its_code(tmp_path):
    ons = ons_tables()
    assert district_code(ons, district_config(tmp_path, "northby")) == CODES["Northby"]
    assert district_code(ons, district_config(tmp_path, "South")) == CODES["Southton"]  # part
    coded = district_config(tmp_path, "Anywhere", "benchmark:\n  csp_code: E22000003\n")
    assert district_code(ons, coded) == CODES["Westby"]


def test_an_ambiguous_or_unknown_district_is_refused_naming_what_to_set(tmp_path):
    ons = ons_tables()
    with pytest.raises(ConfigError, match="names more than one partnership in ons.xlsx: Northby"):
        district_code(ons, district_config(tmp_path, "th"))  # Northby and Southton
    with pytest.raises(ConfigError, match="not the name of a partnership .*nearest: Northby"):
        district_code(ons, district_config(tmp_path, "Northbie"))
    missing = district_config(tmp_path, "Northby", "benchmark:\n  csp_code: E22000999\n")
    with pytest.raises(ConfigError, match="'E22000999' is not a partnership in ons.xlsx"):
        district_code(ons, missing)


def test_peers_must_be_partnerships_of_the_tables_and_codes_of_the_right_form(tmp_path):
    ons = ons_tables()
    config = district_config(tmp_path, "Northby", "benchmark:\n  peers: [E22000003, W14000001]\n")
    with pytest.raises(ConfigError, match="benchmark.peers: W14000001 is not a partnership"):
        check_peers(ons, config)
    with pytest.raises(ConfigError, match="'E2200003' is not a Community Safety Partnership code"):
        district_config(tmp_path, "Northby", "benchmark:\n  peers: [E2200003]\n")
    with pytest.raises(ConfigError, match="benchmark.peers lists the district's own E22000001"):
        district_config(
            tmp_path, "Northby", "benchmark:\n  csp_code: E22000001\n  peers: [E22000001]\n"
        )


def test_a_group_some_partnership_has_no_count_for_is_left_out_of_every_area():
    tables = ons_tables()
    frame = tables.partnerships
    # Westby's burglaries unavailable ([x]) the year before: no force or national sum is whole
    frame.loc[
        (frame["csp"] == "Westby") & (frame["offence_group"] == BURGLARY), "offences_previous"
    ] = None
    benchmark = compare(tables, CODES["Northby"], (CODES["Westby"],))
    assert set(benchmark.table["offence_group"]) == {FIRST_GROUP}
    assert benchmark.groups_left_out == (BURGLARY,)


def test_no_total_for_a_partnership_stops_naming_it():
    tables = ons_tables()
    frame = tables.partnerships
    frame.loc[
        (frame["csp"] == "Southton") & (frame["offence_group"] == FIRST_GROUP), "offences"
    ] = None
    with pytest.raises(InputFileError, match="gives no total recorded crime for Southton"):
        compare(tables, CODES["Northby"])


def test_a_district_or_peer_with_no_published_rate_stops_with_the_ons_note():
    tables = ons_tables()
    frame = tables.partnerships
    frame.loc[frame["csp"] == "Westby", "rate"] = None  # [u1], as for the City of London
    with pytest.raises(
        InputFileError,
        match=r"no crime rate for Westby \(E22000003\), a peer's .*ONS note 9: Westby's note"
        r".*leave it out of benchmark.peers",
    ):
        compare(tables, CODES["Northby"], (CODES["Westby"],))
    with pytest.raises(
        InputFileError, match="the district's partnership.*remove inputs.ons_tables"
    ):
        compare(tables, CODES["Westby"])


def test_a_negative_count_gets_no_interval_and_no_word():
    tables = ons_tables()
    frame = tables.partnerships
    # the ONS warns of negative counts where crimes were transferred or cancelled
    frame.loc[(frame["csp"] == "Northby") & (frame["offence_group"] == BURGLARY), "offences"] = -2
    rows = compare(tables, CODES["Northby"]).table.set_index(["area_type", "offence_group"])
    assert pd.isna(rows.loc[("district", BURGLARY), "rate_lower"])
    assert rows.loc[("force", BURGLARY), "district_is"] == ""
    assert rows.loc[("force", FIRST_GROUP), "district_is"] == "lower"  # the rest as before


@pytest.mark.parametrize(
    ("year", "quarter", "newer"),
    [("2024-25", 3, True), ("2024-25", 4, False), ("2025-26", 1, False)],
)
def test_ons_tables_for_a_year_ending_after_the_quarter_are_newer_than_its_paper(
    year, quarter, newer
):
    # Tables for the year ending March 2025: after October-December 2024 (2024-25 Q3), not
    # after January-March 2025 (Q4) or any later quarter.
    tables = SimpleNamespace(period="March 2025")
    assert after_the_quarter(tables, parse_financial_year(year), quarter) is newer
