"""Each quarter's committee details: under `committee:` in its commentary file, else the
config's; a meeting on or before the quarter's last day refused when the quarter is planned."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from pipeline.config import load_commentary, load_config, quarter_committee
from pipeline.errors import ConfigError
from pipeline.paths import PROJECT_ROOT
from pipeline.periods import parse_financial_year
from pipeline.planning import make_plan
from tests.conftest import write_config
from tests.test_plan_safety import police_uk_folder

SAMPLE_COMMENTARY = PROJECT_ROOT / "config" / "commentary"
COMMITTEE = (
    "committee:\n  council: Testville Council\n  meeting_date: 2025-10-15\n"
    "  report_author: A. Officer\n  recommendations: [Note the figures.]\n"
)


def planned(tmp_path, config_committee: str, commentary: str | None):
    """Plan 2025-26 Q2 (July to September 2025) of the small Testville config."""
    path = write_config(tmp_path, police_uk_folder(tmp_path))
    path.write_text(path.read_text() + config_committee, encoding="utf-8")
    words = tmp_path / "commentary" / "testville-2025-26-Q2.yaml"
    if commentary is not None:
        words.parent.mkdir(exist_ok=True)
        words.write_text(commentary, encoding="utf-8")
    return path, words, lambda: make_plan(str(path), "2025-26", "2")


def test_the_commentary_s_details_replace_the_config_s_and_the_rest_stay(tmp_path):
    path, words, _ = planned(
        tmp_path,
        COMMITTEE,
        "committee:\n  meeting_date: 2025-11-12\n  recommendations:\n"
        "    - Review the action plan.\ndetails: [A word for the quarter.]\n",
    )
    commentary = load_commentary(words)
    assert commentary.words == {"details": ("A word for the quarter.",)}
    details = quarter_committee(load_config(path), commentary).committee
    assert details.meeting_date == date(2025, 11, 12)
    assert details.recommendations == ("Review the action plan.",)
    assert (details.council, details.report_author) == ("Testville Council", "A. Officer")


def test_a_meeting_before_the_quarter_ends_is_refused_naming_both_dates(tmp_path):
    # the config's 15 October 2025 is fine for Q2 (to 30 September); 30 September itself is not
    _, words, plan = planned(tmp_path, COMMITTEE, "committee:\n  meeting_date: 2025-09-30\n")
    with pytest.raises(ConfigError) as caught:
        plan()
    message = str(caught.value)
    assert message.startswith(f"Config {words}, line 2: committee.meeting_date 2025-09-30")
    assert "(30 September 2025) is not after the end of quarter 2 of 2025/26 (30 September" in (
        message
    )
    words.write_text("committee:\n  meeting_date: 2025-10-01\n", encoding="utf-8")
    plan()  # the day after the quarter: accepted


def test_a_config_date_before_the_quarter_ends_says_where_the_quarter_s_own_goes(tmp_path):
    early = COMMITTEE.replace("2025-10-15", "2025-08-20")
    path, words, plan = planned(tmp_path, early, None)
    with pytest.raises(ConfigError) as caught:
        plan()
    message = str(caught.value)
    assert message.startswith(f"Config {path}, line ")
    assert "committee.meeting_date 2025-08-20 (20 August 2025) is not after" in message
    assert f"give the quarter's own under 'committee: meeting_date:' in {words}" in message


def test_a_commentary_committee_value_of_the_wrong_kind_names_the_commentary(tmp_path):
    _, words, plan = planned(tmp_path, "", "committee:\n  meeting_date: next Tuesday\n")
    with pytest.raises(ConfigError) as caught:
        plan()
    assert str(caught.value).startswith(
        f"Config {words}, line 2: committee.meeting_date 'next Tuesday' is not a date"
    )


QUARTERS_THE_SAMPLE_BUILDS = [("2023-24", 4)] + [
    (year, quarter) for year in ("2024-25", "2025-26") for quarter in (1, 2, 3, 4)
]


@pytest.mark.parametrize(("year", "quarter"), QUARTERS_THE_SAMPLE_BUILDS)
def test_the_sample_has_a_meeting_after_every_quarter_it_can_build(year, quarter):
    data = yaml.safe_load(
        (SAMPLE_COMMENTARY / f"ashworth-vale-{year}-Q{quarter}.yaml").read_text(encoding="utf-8")
    )
    meeting = data["committee"]["meeting_date"]
    end = parse_financial_year(year).quarter_end(quarter).end_time.date()
    assert end < meeting <= end + timedelta(days=91)  # after the quarter, before the next ends
