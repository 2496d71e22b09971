"""compute reads times with a UTC offset on the clock report reads them on (engines.zones; the
report's rules in exports/zones.py): --timezone ZONE converts them (days, periods and wall-clock
durations on ZONE's clock); without it one offset in the whole data is read as written and different
offsets in UTC. pandas (the report's cells.datetimes_offsets) is the reference; DuckDB is tested
against it and against hand counts (Spark: tests/test_engines_spark.py). The hand values were also
checked with `xl-cskpi report support_complaints --values --period P [--timezone Z]` on the same
rows (with a ticket_id column): 23.0 h / 4.0 h without a zone, 24.0 h (2 tickets) / 4.0 h in Los
Angeles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import engines
from xl_cskpi.engines import zones

from test_engines import assert_same

ENGINES = ("pandas", "duckdb")

#: US daylight time began 10 March 2024 at 02:00 (10:00 UTC): 22:00 -08:00 on the 9th to 22:00 -07:00
#: on the 10th is 23 h elapsed, 24 h on Los Angeles' wall clock; 20:30 -07:00 on 31 March is 03:30 UTC
#: on 1 April.
MIXED = ("opened_at,resolved_at\n"
         "2024-03-09T22:00:00-08:00,2024-03-10T22:00:00-07:00\n"
         "2024-03-31T20:30:00-07:00,2024-04-01T01:30:00-07:00\n"
         "2024-04-02 10:00,2024-04-02 13:00\n")
#: One offset in the whole file: read as written (Los Angeles' summer clock).
ONE = ("opened_at,resolved_at\n"
       "2024-03-31T20:30:00-07:00,2024-04-01T01:30:00-07:00\n"
       "2024-04-02T10:00:00-07:00,2024-04-02T13:00:00-07:00\n")


def _run(tmp_path, text, engine, **options):
    path = tmp_path / "tickets.csv"
    path.write_text(text)
    return engines.compute("support_summary", str(path), engine=engine, options=options)


def _by_period(t: pd.DataFrame) -> dict:
    return {p: (int(n), None if np.isnan(h) else round(float(h), 9))
            for p, n, h in zip(t["period"], t["tickets"], t["resolution_mean_hours"])}


@pytest.mark.parametrize("engine", ENGINES)
def test_mixed_offsets_utc_without_a_zone(tmp_path, engine):
    t = _run(tmp_path, MIXED, engine)
    # UTC: ticket 1 in March (23 h elapsed); ticket 2 opens 03:30 UTC 1 April; April: (5 + 3) / 2 = 4 h
    assert _by_period(t) == {"2024-03": (1, 23.0), "2024-04": (2, 4.0)}
    assert any("different offsets (-08:00, -07:00)" in n and "read in UTC" in n for n in t.attrs["notes"])


@pytest.mark.parametrize("engine", ENGINES)
def test_timezone_converts_to_the_zones_clock(tmp_path, engine):
    t = _run(tmp_path, MIXED, engine, timezone="America/Los_Angeles")
    # Los Angeles' wall clock: 22:00 to 22:00 = 24 h (the report's wall-clock hours); ticket 2 opens on
    # 31 March (March: 2 tickets), resolved 1 April 01:30 (5 h); April: (5 + 3) / 2 = 4 h
    assert _by_period(t) == {"2024-03": (2, 24.0), "2024-04": (1, 4.0)}
    notes = t.attrs["notes"]
    assert any("converted to America/Los_Angeles (--timezone)" in n for n in notes)
    assert any(n.startswith("America/Los_Angeles changes its clock within the times (2024-03-10)") for n in notes)
    # Tehran (+03:30 all year): ticket 1 opens 09:30 on 10 March, resolved 08:30 on the 11th: 23 h
    t = _run(tmp_path, MIXED, engine, timezone="Asia/Tehran")
    assert _by_period(t) == {"2024-03": (1, 23.0), "2024-04": (2, 4.0)}
    assert not any("changes its clock" in n for n in t.attrs["notes"])


@pytest.mark.parametrize("engine", ENGINES)
def test_one_offset_read_as_written(tmp_path, engine):
    t = _run(tmp_path, ONE, engine)
    # as written: ticket 1 opens 31 March 20:30 (March, resolved in April after 5 h); April: (5 + 3) / 2
    assert _by_period(t) == {"2024-03": (1, None), "2024-04": (1, 4.0)}
    assert any("the only offset of the data: read as written (the wall clock of -07:00)" in n
               for n in t.attrs["notes"])
    t = _run(tmp_path, ONE, engine, timezone="Asia/Tehran")   # 07:00 on 1 April in Tehran
    assert _by_period(t) == {"2024-04": (2, 4.0)}


@pytest.mark.parametrize("tz", [None, "America/Los_Angeles", "Europe/Berlin", "UTC"])
def test_duckdb_equals_pandas_across_two_changes(tmp_path, tz):
    # tickets every 13 hours over 2024 with offsets from three zones, some without one
    rng = np.random.default_rng(5)
    start = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(np.arange(600) * 13, "h")
    zone = rng.choice(["America/Los_Angeles", "Europe/Berlin", "Asia/Tehran"], 600)
    took = pd.to_timedelta(rng.integers(0, 3000, 600), "min")
    def text(ts, z):
        return ts.tz_convert(z).isoformat()
    opened = [text(s, z) for s, z in zip(start, zone)]
    # every 7th resolved time without an offset, a day later (after its start on any clock)
    resolved = [text(s + d, z) if k % 7 else (s + d + pd.Timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
                for k, (s, d, z) in enumerate(zip(start, took, zone))]
    pd.DataFrame({"opened_at": opened, "resolved_at": resolved}).to_csv(tmp_path / "t.csv", index=False)
    opts = {} if tz is None else {"timezone": tz}
    ref = engines.compute("support_summary", str(tmp_path / "t.csv"), engine="pandas", options=opts)
    got = engines.compute("support_summary", str(tmp_path / "t.csv"), engine="duckdb", options=opts)
    assert_same(ref, got, durations=[c for c in ref.columns if c.endswith("_hours") or c == "sla_compliance"])
    assert ref.attrs["notes"] == got.attrs["notes"]


@pytest.mark.parametrize("engine", ENGINES)
def test_survey_dates_on_the_zones_clock(engine):
    # a response at 23:30 -07:00 on 31 March: March in Los Angeles, April in UTC (two offsets: UTC)
    df = pd.DataFrame({"submitted_at": ["2024-03-31T23:30:00-07:00", "2024-03-05T10:00:00-08:00"],
                       "nps_score": ["10", "3"]})
    utc = engines.compute("survey_by_period", df, engine=engine)
    assert dict(zip(utc["period"], utc["nps_respondents"])) == {"2024-03": 1, "2024-04": 1}
    la = engines.compute("survey_by_period", df, engine=engine, options={"timezone": "America/Los_Angeles"})
    assert dict(zip(la["period"], la["nps_respondents"])) == {"2024-03": 2}


def test_transitions_of_los_angeles_2024():
    # tzdata: PST -> PDT at 2024-03-10 10:00 UTC, back at 2024-11-03 09:00 UTC
    steps = zones.transitions("America/Los_Angeles", np.datetime64("2024-01-01"), np.datetime64("2024-12-31"))
    assert [(str(t), o) for t, o in steps[1:]] == [("2024-03-10T10:00", -420), ("2024-11-03T09:00", -480)]
    assert steps[0][1] == -480
    assert zones.offset_minutes("+03:30") == 210 and zones.offset_minutes("-0800") == -480
    assert zones.offset_minutes("Z") == 0 and zones.offset_minutes("+05") == 300


def test_bad_timezone_is_one_line():
    with pytest.raises(engines.EngineError, match="not an IANA time zone"):
        engines.compute("support_summary", pd.DataFrame({"opened_at": ["2024-01-01"]}), engine="duckdb",
                        options={"timezone": "Mars/Olympus"})


def test_the_command_passes_timezone(tmp_path, capsys):
    from xl_cskpi.engines import cli
    src = tmp_path / "t.csv"
    src.write_text(MIXED)
    out = tmp_path / "o.csv"
    assert cli.main(["support_summary", "--data", str(src), "-o", str(out), "--quiet",
                     "--timezone", "America/Los_Angeles"]) == 0
    assert pd.read_csv(out)["tickets"].tolist() == [2, 1]
    assert cli.main(["support_summary", "--data", str(src), "-o", str(out), "--quiet", "--force",
                     "--timezone", "Nowhere/City"]) == 2
    assert "Nowhere/City" in capsys.readouterr().err
