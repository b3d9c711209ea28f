"""Partnerships from the ONS lookup, and police.uk's LSOA names placed in them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputFileError
from pipeline.sources.csp_lookup import (
    force_key,
    force_partnerships,
    lsoa_prefix,
    match_lsoa_names,
    read_lookup,
)

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
REAL_LOOKUP = REALDATA / "ons" / "LAD17_CSP17_PFA17_lookup_Jan2017.csv"

LOOKUP = (
    "\ufeffLAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM,FID\n"
    "E07000172,Broxtowe,E22000366,South Nottinghamshire,E23000019,Nottinghamshire,1\n"
    "E07000173,Gedling,E22000366,South Nottinghamshire,E23000019,Nottinghamshire,2\n"
    "E07000174,Mansfield,E22000255,Mansfield,E23000019,Nottinghamshire,3\n"
    'E06000023,"Bristol, City of",E22000001,Bristol,E23000036,Avon and Somerset,4\n'
    "E07000128,Wyre,E22000121,Wyre,E23000003,Lancashire,5\n"
    "E07000239,Wyre Forest,E22000219,Wyre Forest,E23000016,West Mercia,6\n"
)


@pytest.fixture
def lookup(tmp_path: Path) -> Path:
    path = tmp_path / "lookup.csv"
    path.write_text(LOOKUP, encoding="utf-8")
    return path


def test_a_partnership_of_several_authorities_is_one_partnership(lookup):
    partnerships = read_lookup(lookup)
    south = next(p for p in partnerships if p.code == "E22000366")
    assert (south.name, south.force, south.authorities) == (
        "South Nottinghamshire",
        "Nottinghamshire",
        ("Broxtowe", "Gedling"),
    )
    assert len(partnerships) == 5


def test_a_force_is_found_by_the_name_its_files_give(lookup):
    partnerships = read_lookup(lookup)
    names = [p.name for p in force_partnerships(partnerships, "Nottinghamshire Police")]
    assert names == ["Mansfield", "South Nottinghamshire"]
    assert force_partnerships(partnerships, "Kent Police") == []


@pytest.mark.parametrize(
    ("files", "lookup_name"),
    [
        ("Derbyshire Constabulary", "Derbyshire"),
        ("Devon & Cornwall Police", "Devon & Cornwall"),
        ("Avon and Somerset Constabulary", "Avon and Somerset"),
        ("City of London Police", "London, City of"),
        ("Metropolitan Police Service", "Metropolitan Police"),
    ],
)
def test_force_names_compare_as_the_same_force(files, lookup_name):
    assert force_key(files) == force_key(lookup_name)


def test_an_authority_of_a_city_or_county_begins_its_lsoa_names_plainly():
    assert lsoa_prefix("Bristol, City of") == "Bristol"
    assert lsoa_prefix("Herefordshire, County of") == "Herefordshire"
    assert lsoa_prefix("Kingston upon Hull, City of") == "Kingston upon Hull"
    assert lsoa_prefix("Newark and Sherwood") == "Newark and Sherwood"


def test_lsoa_names_go_to_the_partnership_of_their_whole_authority_name(lookup):
    partnerships = read_lookup(lookup)
    match = match_lsoa_names(
        partnerships,
        [
            "Wyre 001A",
            "Wyre Forest 002B",
            "Gedling 010C",
            "Broxtowe 001A",
            "Bristol 012D",
            "Sheffield 004A",
            "",
            "Wyre 001A",
            "Wyre North",
        ],
    )
    assert match.by_partnership["E22000121"] == ("Wyre 001A",)
    assert match.by_partnership["E22000219"] == ("Wyre Forest 002B",)
    assert match.by_partnership["E22000366"] == ("Broxtowe 001A", "Gedling 010C")
    assert match.by_partnership["E22000001"] == ("Bristol 012D",)
    assert match.unmatched == ("Sheffield 004A", "Wyre North")  # listed, never dropped


def test_a_file_that_is_not_the_lookup_names_the_columns_it_lacks(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("LAD23CD,LAD23NM,Force\nE1,Derby,Derbyshire\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"lookup.csv, row 1: .*no column like \^CSP"):
        read_lookup(path)


def test_a_partnership_in_two_forces_is_refused(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text(
        "LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM\n"
        "E1,Aa,E22000001,Aa,E23000001,One\n"
        "E2,Bb,E22000001,Aa,E23000002,Two\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match="row 3: puts partnership E22000001 .* in two"):
        read_lookup(path)


@pytest.mark.skipif(not REAL_LOOKUP.exists(), reason="../shared/realdata is not beside the project")
def test_the_real_lookup_gives_derbyshire_and_nottinghamshire_their_partnerships():
    partnerships = read_lookup(REAL_LOOKUP)
    derbyshire = force_partnerships(partnerships, "Derbyshire Constabulary")
    assert [p.name for p in derbyshire] == [
        "Amber Valley",
        "Bolsover",
        "Chesterfield",
        "Derby",
        "Derbyshire Dales",
        "Erewash",
        "High Peak",
        "North East Derbyshire",
        "South Derbyshire",
    ]
    nottinghamshire = force_partnerships(partnerships, "Nottinghamshire Police")
    south = next(p for p in nottinghamshire if p.name == "South Nottinghamshire")
    assert south.authorities == ("Broxtowe", "Gedling", "Rushcliffe")
    assert len(nottinghamshire) == 6


def test_the_sample_s_lookup_gives_its_force_s_five_partnerships(tmp_path):
    from pipeline.sample.ons import write_sample_csp_lookup

    partnerships = read_lookup(write_sample_csp_lookup(tmp_path / "lookup.csv"))
    wealdmoor = force_partnerships(partnerships, "Wealdmoor Constabulary")
    assert [p.name for p in wealdmoor] == [
        "Ashworth Vale",
        "Brackenford",
        "Fenbridge",
        "Hollinsdale",
        "Saltmere",
    ]
    combined = next(p for p in partnerships if p.code == "E22000913")
    assert combined.authorities == ("North Harrowmere", "East Harrowmere")


def test_unmatched_names_are_counted_by_their_authority(lookup):
    from pipeline.sources.csp_lookup import unmatched_by_authority

    match = match_lsoa_names(
        read_lookup(lookup), ["Sheffield 004A", "Sheffield 010B", "Wyre North", "Leeds 001A"]
    )
    # a name not in police.uk's form (no three digits and a letter) counts as its own
    assert unmatched_by_authority(match) == {"Sheffield": 2, "Wyre North": 1, "Leeds": 1}
