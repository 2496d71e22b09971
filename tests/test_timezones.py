"""Times with a UTC offset (``...Z``, ``+03:30``, ``-08:00``) keep their instant (R's finding F1).

Expected values are computed by hand from the offsets, with the standard library's ``zoneinfo``
(the IANA tz database) as the independent reference where a zone's rules matter. Dates used:

* 2024-03-10 is the US DST start: America/Los_Angeles goes from -08:00 to -07:00 at 02:00 local
  (10:00Z), so 2024-03-09T22:00-08:00 (06:00Z on the 10th) to 2024-03-10T22:00-07:00 (05:00Z on the
  11th) is 23 hours;
* Asia/Tehran is +03:30 all year since 2022 (no DST), so 05:00Z is 08:30 in Tehran;
* 2024-06-05 is a Wednesday (iran schedule: Sat-Wed 08:00-16:00).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zoneinfo
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xl_cskpi
from xl_cskpi import business_time as bh
from xl_cskpi.cells import dates as cd
from xl_cskpi.errors import InvalidInput
from xl_cskpi.exports.check import DataCheck, ExportError, ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data

UTC = dt.timezone.utc
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def naive(d: dt.datetime) -> np.datetime64:
    return np.datetime64(d.replace(tzinfo=None), "ns")


# --------------------------------------------------------------------------- the cell readers


def test_offsets_are_read_beside_the_wall_clock():
    texts = ["2024-03-09T22:00:00-08:00", "2024-03-10T22:00:00-07:00", "2024-04-03T09:00:00Z",
             "2024-04-03 09:00", None, "2024-04-03T09:00:00.250+0330", "5 Mar 2024 10:00 UTC"]
    d, off = cd.date_column_offsets(texts, "at", kind="datetime")
    # without a zone: the wall clock as written
    assert [str(x)[:23] for x in d] == ["2024-03-09T22:00:00.000", "2024-03-10T22:00:00.000",
                                        "2024-04-03T09:00:00.000", "2024-04-03T09:00:00.000", "NaT",
                                        "2024-04-03T09:00:00.250", "2024-03-05T10:00:00.000"]
    assert off[[0, 1, 2, 5, 6]].tolist() == [-480, -420, 0, 210, 0] and np.isnan(off[[3, 4]]).all()


def test_a_zone_puts_every_offset_on_its_clock_and_keeps_naive_times():
    texts = ["2024-03-09T22:00:00-08:00", "2024-03-10T22:00:00-07:00", "2024-06-05T05:00:00Z", "2024-06-05 08:30"]
    # zoneinfo as the reference: the instants, then read on each zone's clock
    instants = [dt.datetime(2024, 3, 9, 22, tzinfo=dt.timezone(dt.timedelta(hours=-8))),
                dt.datetime(2024, 3, 10, 22, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
                dt.datetime(2024, 6, 5, 5, tzinfo=UTC)]
    for zone in ("UTC", "Asia/Tehran", "America/Los_Angeles"):
        want = [naive(t.astimezone(zoneinfo.ZoneInfo(zone))) for t in instants] + [np.datetime64("2024-06-05T08:30")]
        assert cd.date_column(texts, "at", kind="datetime", tz=zone).tolist() == \
            np.array(want, dtype="datetime64[ns]").tolist()
    # by hand: 06:00Z and 05:00Z the next day; 05:00Z is 08:30 in Tehran
    utc = cd.datetimes([[t] for t in texts[:3]], "at", tz="UTC")
    assert (utc[1] - utc[0]) / np.timedelta64(1, "h") == 23.0
    assert str(cd.datetimes(texts[2], "at", tz="Asia/Tehran")[0])[:16] == "2024-06-05T08:30"


def test_days_and_months_are_counted_on_the_zones_clock():
    # 23:30 at -07:00 on 31 March is 06:30Z on 1 April
    t = ["2024-03-31T23:30:00-07:00"]
    assert str(cd.date_column(t, "m", kind="month")[0])[:10] == "2024-03-01"
    assert str(cd.date_column(t, "m", kind="month", tz="UTC")[0])[:10] == "2024-04-01"
    assert str(cd.date_column(t, "d", kind="date", tz="UTC")[0])[:10] == "2024-04-01"
    # 20:30Z on the last day of Esfand 1402 (2024-03-19) is 00:00 of 1 Farvardin 1403 in Tehran
    j = cd.date_column(["2024-03-19T20:30:00Z"], "m", kind="month", tz="Asia/Tehran", calendar="jalali")
    assert str(j[0])[:10] == "2024-03-20"      # 1 Farvardin 1403 = 2024-03-20 (Nowruz)


def test_aware_datetimes_are_instants_too():
    cells = [dt.datetime(2024, 6, 3, 9, tzinfo=UTC), dt.datetime(2024, 6, 3, 11, tzinfo=TEHRAN), None]
    d, off = cd.datetimes_offsets(cells, "at", tz="UTC")
    assert str(d[0])[:16] == "2024-06-03T09:00" and str(d[1])[:16] == "2024-06-03T07:30"   # 11:00 - 3:30
    assert off[:2].tolist() == [0, 210] and np.isnan(off[2])
    s = pd.Series(pd.to_datetime(["2024-03-09T22:00:00-08:00", "2024-03-10T22:00:00-07:00"], utc=True)
                  ).dt.tz_convert("America/Los_Angeles")
    d, off = cd.date_column_offsets(s, "at", kind="datetime", tz="UTC")
    assert off.tolist() == [-480, -420] and (d[1] - d[0]) / np.timedelta64(1, "h") == 23.0


def test_fast_path_reads_offsets_as_the_general_parser():
    """A column of >= 64 distinct timestamps goes through numpy's fast road; each text alone through
    the general parser (a column of one): the same microseconds and offsets, every form."""
    rng = np.random.default_rng(7)
    forms = ["{d}T{t}Z", "{d}T{t}+03:30", "{d} {t}-08:00", "{d}T{t}.5Z", "{d}T{t}.123456789-07:00",
             "{d}T{hm}+05:45", "{d}T{t}", "{d} {hm}z", "{d}T{t},25+14:00", "{d}T{t}-12:00"]
    texts = []
    for k in range(200):
        day = np.datetime64("2020-01-01") + int(rng.integers(0, 2000))
        sec = int(rng.integers(0, 86400))
        t = f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"
        texts.append(forms[k % len(forms)].format(d=str(day), t=t, hm=t[:5]))
    for zone in (None, "UTC", "Asia/Kathmandu"):
        fast, fast_off = cd.date_column_offsets(texts, "at", kind="datetime", tz=zone)
        assert cd._fast_texts(texts).iso.all()          # all on the fast road
        one = [cd.date_column_offsets([t], "at", kind="datetime", tz=zone) for t in texts]
        assert np.array_equal(fast, np.array([d[0] for d, _ in one]))
        assert np.array_equal(fast_off, np.array([o[0] for _, o in one]), equal_nan=True)


@pytest.mark.parametrize("text", ["2024-06-03T09:00:00+15:00", "2024-06-03T09:00:00-03:60"])
def test_an_offset_that_does_not_exist_is_refused(text):
    with pytest.raises(InvalidInput, match="time-zone offset that does not exist"):
        cd.date_column([text], "at", kind="datetime")
    with pytest.raises(InvalidInput, match="time-zone offset that does not exist"):
        cd.date_column([text] * 70 + [f"2024-01-01T00:00:{k:02d}Z" for k in range(60)], "at", kind="datetime")


def test_an_unknown_zone_is_refused():
    with pytest.raises(InvalidInput, match="timezone is 'Mars/Olympus', which is not an IANA time zone"):
        cd.date_column(["2024-06-03T09:00:00Z"], "at", tz="Mars/Olympus")


def test_naive_columns_are_untouched_by_a_zone():
    texts = [f"2024-06-{d:02d} {h:02d}:00" for d in range(1, 29) for h in (9, 17, 23)]
    assert np.array_equal(cd.date_column(texts, "at", kind="datetime", tz="Asia/Tehran"),
                          cd.date_column(texts, "at", kind="datetime"))


# --------------------------------------------------------------------------- the functions


def test_durations_between_instants():
    # 09:00Z and 11:00+02:00 are the same instant (11:00 - 2 h = 09:00Z): 0 hours
    assert xl_cskpi.avg_resolution_time(["2024-06-03T09:00:00Z"], ["2024-06-03T11:00:00+02:00"]) == 0.0
    # the US DST start (see the module docstring): 23 h, not the wall clocks' 24
    assert xl_cskpi.avg_resolution_time(["2024-03-09T22:00:00-08:00"], ["2024-03-10T22:00:00-07:00"]) == 23.0
    # 10:00+02:00 is 08:00Z, an hour *before* 09:00Z: an end before its start
    with pytest.raises(InvalidInput, match=r"resolved_at has '2024-06-03T10:00:00\+02:00' in row 1 \(2024-06-03 08:00 "
                                           r"UTC\), before opened_at '2024-06-03T09:00:00Z' \(2024-06-03 09:00 UTC\)"):
        xl_cskpi.avg_resolution_time(["2024-06-03T09:00:00Z"], ["2024-06-03T10:00:00+02:00"])
    # first reply: 08:00-07:00 (15:00Z) -> 16:30Z = 1.5 h; median of 1.5 and a naive pair's 2 h
    assert xl_cskpi.first_response_time(["2024-04-02T08:00:00-07:00", "2024-04-02 09:00"],
                                        ["2024-04-02T16:30:00Z", "2024-04-02 11:00"], "mean") == 1.75
    assert xl_cskpi.resolution_time_percentile(["2024-03-09T22:00:00-08:00"], ["2024-03-11T05:00:00Z"]) == 23.0
    # time to value in days: 2024-03-09T22:00-08:00 = 03-10 06:00Z; +2 days = 03-12 06:00Z = 03-12 09:30+03:30
    assert xl_cskpi.time_to_value(["2024-03-09T22:00:00-08:00"], ["2024-03-12T09:30:00+03:30"]) == 2.0


def test_naive_durations_are_as_before():
    # the same texts without offsets: wall clocks (1 h and 24 h), as always
    assert xl_cskpi.avg_resolution_time(["2024-06-03 09:00"], ["2024-06-03 10:00"]) == 1.0
    assert xl_cskpi.avg_resolution_time(["2024-03-09 22:00"], ["2024-03-10 22:00"]) == 24.0


def test_one_end_with_an_offset_is_value_error_naming_both_cells():
    with pytest.raises(InvalidInput, match=r"AVG_RESOLUTION_TIME: opened_at has '2024-06-03T09:00:00Z' in row 2 "
                                           r"and resolved_at has '2024-06-03 10:00': opened_at carries a time-zone "
                                           r"offset and resolved_at does not"):
        xl_cskpi.avg_resolution_time(["2024-06-03 08:00", "2024-06-03T09:00:00Z"],
                                     ["2024-06-03 09:00", "2024-06-03 10:00"])
    with pytest.raises(InvalidInput, match="first_response_at carries a time-zone offset and opened_at does not"):
        xl_cskpi.first_response_time(["2024-06-03 09:00"], ["2024-06-03T10:00:00Z"])
    # an open ticket (blank end) decides nothing: rows are judged one by one
    assert xl_cskpi.avg_resolution_time(["2024-06-03T09:00:00Z", "2024-06-03 08:00"],
                                        [None, "2024-06-03 09:30"]) == 1.5


def test_sla_as_of_with_offsets():
    # opened 2024-06-01 09:00Z, still open; as_of 2024-06-02 12:00+03:00 = 09:00Z: waited 24 h, not past 24
    opened, resolved = ["2024-06-03T09:00:00Z", "2024-06-01T09:00:00Z"], ["2024-06-03T11:00:00+02:00", None]
    assert xl_cskpi.sla_compliance(opened, resolved, 24, "2024-06-02T12:00:00+03:00") == 1.0
    # one minute later it has breached: 1 met of 2 judged
    assert xl_cskpi.sla_compliance(opened, resolved, 24, "2024-06-02T12:01:00+03:00") == 0.5
    with pytest.raises(InvalidInput, match="as_of does not"):
        xl_cskpi.sla_compliance(opened, resolved, 24, "2024-06-02 12:00")


def test_business_hours_of_a_utc_export_on_the_schedules_clock():
    # 05:00Z-09:00Z on Wednesday 2024-06-05 = 08:30-12:30 Tehran: 4 working hours (R's case: was 1)
    assert xl_cskpi.business_hours(["2024-06-05T05:00:00Z"], ["2024-06-05T09:00:00Z"], "iran").tolist() == [4.0]
    # the same instants written in Tehran time, and a naive start (the schedule's clock): 4 h each
    assert xl_cskpi.business_hours(["2024-06-05T08:30:00+03:30", "2024-06-05 08:30"],
                                   ["2024-06-05T12:30:00+03:30", "2024-06-05T09:00:00Z"], "iran").tolist() == [4.0, 4.0]
    # durations on the schedule: 05:00Z to 09:00Z in Tehran = 08:30-12:30 = 4 h of business time
    assert bh.durations(["2024-06-05T05:00:00Z"], ["2024-06-05T09:00:00Z"], bh.preset("iran")).tolist() == [4 * 3600]
    assert xl_cskpi.avg_resolution_time(["2024-06-05T05:00:00Z"], ["2024-06-05T09:00:00Z"], "hours", "iran") == 4.0


def test_udf_shaped_input_through_the_registry_wrapper():
    from xl_cskpi.excel import call
    from xl_cskpi.registry import REGISTRY

    # xlwings: lists of rows, None for blanks; text cells as a CSV pasted into Excel keeps them
    opened = [["2024-03-09T22:00:00-08:00"], ["2024-06-03T09:00:00Z"], [None], ["2024-06-05T05:00:00Z"]]
    done = [["2024-03-10T22:00:00-07:00"], ["2024-06-03T11:00:00+02:00"], [None], [None]]
    # (23 + 0) / 2 = 11.5 hours; the open ticket is skipped
    assert call(REGISTRY["AVG_RESOLUTION_TIME"], (opened, done, None, None, None)) == 11.5
    got = call(REGISTRY["BUSINESS_HOURS"], ([["2024-06-05T05:00:00Z"]], [["2024-06-05T09:00:00Z"]], [["iran"]],
                                            None, None, None))
    assert np.asarray(got, dtype=object).ravel().tolist()[0] == 4.0
    with pytest.raises(InvalidInput, match="row 1 .*carries a time-zone offset"):
        call(REGISTRY["AVG_RESOLUTION_TIME"], ([["2024-06-03T09:00:00Z"]], [["2024-06-03 10:00"]], None, None, None))


# --------------------------------------------------------------------------- the export reader

HUBSPOT = ("Ticket ID,Ticket status,Create date,Close date,First agent reply date\n"
           # the US DST start: 23 h; first reply 1 h
           "1,Closed,2024-03-09T22:00:00-08:00,2024-03-10T22:00:00-07:00,2024-03-09T23:00:00-08:00\n"
           # 23:30 at -07:00 on 31 March = 06:30Z on 1 April: an April ticket in UTC; 2 h
           "2,Closed,2024-03-31T23:30:00-07:00,2024-04-01T01:30:00-07:00,2024-03-31T23:45:00-07:00\n"
           # Z: 6 h
           "3,Closed,2024-04-03T09:00:00Z,2024-04-03T15:00:00Z,2024-04-03T09:30:00Z\n")
MAP = {"opened_at": "Create date", "resolved_at": "Close date", "first_response_at": "First agent reply date",
       "status": "Ticket status"}


def load(tmp_path: Path, text: str, report: str = "support_complaints", **options):
    p = tmp_path / "tickets.csv"
    p.write_text(text, encoding="utf-8")
    options.setdefault("columns", MAP)
    return load_data(reports()[report], [p], ReadOptions(**options))


def codes(check: DataCheck) -> list[str]:
    return [f.code for f in check if f.code.startswith("timezone_")]


def test_reader_uses_the_schedules_zone(tmp_path):
    # en: the western preset is on UTC only as a placeholder (no zone written): it does not decide the
    # clock of an export that states its offsets (reviewer's F1b); these mix -08:00, -07:00 and Z, so
    # they are read in UTC with a warning that says to pass --timezone
    data, check = load(tmp_path, HUBSPOT)
    t = data["Tickets"]
    hours = ((t["resolved_at"] - t["opened_at"]) / pd.Timedelta(hours=1)).tolist()
    assert hours == [23.0, 2.0, 6.0]
    assert str(t["opened_at"][1])[:16] == "2024-04-01 06:30"
    assert codes(check) == ["timezone_mixed"]
    [m] = [x for x in check if x.code == "timezone_mixed"]
    assert m.level == "warning" and m.fields["offsets"] == "-08:00, -07:00, Z"
    # one offset throughout (a Los Angeles export in summer time): the wall clock as written, so a
    # ticket opened at 20:00 on 30 April stays in April (on UTC it was 03:00 on 1 May)
    one = ("Ticket ID,Create date,Close date,First agent reply date,Ticket status\n"
           "9008,2024-04-30T20:00:00-07:00,2024-05-01T09:00:00-07:00,2024-04-30T21:00:00-07:00,Closed\n")
    data, check = load(tmp_path, one)
    assert str(data["Tickets"]["opened_at"][0])[:16] == "2024-04-30 20:00"
    assert codes(check) == ["timezone_kept"] * 3
    # a western schedule with its zone written decides the clock
    data, check = load(tmp_path, one, schedule="western America/Los_Angeles")
    assert str(data["Tickets"]["opened_at"][0])[:16] == "2024-04-30 20:00"
    assert {x.fields["zone"] for x in check if x.code == "timezone_of_schedule"} == {"America/Los_Angeles"}
    data, check = load(tmp_path, one, schedule="western UTC")
    assert str(data["Tickets"]["opened_at"][0])[:16] == "2024-05-01 03:00"
    # Persian: the iran schedule, Asia/Tehran: 06:30Z is 10:00 in Tehran
    data, check = load(tmp_path, HUBSPOT, lang="fa")
    assert str(data["Tickets"]["opened_at"][1])[:16] == "2024-04-01 10:00"
    assert {x.fields["zone"] for x in check if x.code == "timezone_of_schedule"} == {"Asia/Tehran"}


def test_reader_timezone_option_and_its_warnings(tmp_path):
    data, check = load(tmp_path, HUBSPOT, timezone="America/Los_Angeles")
    t = data["Tickets"]
    # on Los Angeles' clock the DST ticket reads 22:00 to 22:00: 24 wall-clock hours, and the check says so
    assert ((t["resolved_at"] - t["opened_at"]) / pd.Timedelta(hours=1)).tolist() == [24.0, 2.0, 6.0]
    assert str(t["opened_at"][2])[:16] == "2024-04-03 02:00"        # 09:00Z = 02:00 PDT
    dst = [x for x in check if x.code == "timezone_dst"]
    assert len(dst) == 1 and dst[0].fields == {"zone": "America/Los_Angeles", "date": "2024-03-10"}
    assert dst[0].level == "warning"
    assert {x.fields["zone"] for x in check if x.code == "timezone_converted"} == {"America/Los_Angeles"}
    assert not [x for x in check if x.code == "timezone_not_schedule"]   # western states no zone
    _, check = load(tmp_path, HUBSPOT, timezone="America/Los_Angeles", lang="fa")   # iran: Asia/Tehran
    sch = [x for x in check if x.code == "timezone_not_schedule"]
    assert sch[0].fields == {"zone": "America/Los_Angeles", "schedule": "iran", "schedule_zone": "Asia/Tehran"}
    with pytest.raises(ExportError, match="--timezone 'Nowhere' is not an IANA time zone"):
        load(tmp_path, HUBSPOT, timezone="Nowhere")


def test_reader_without_a_schedule(tmp_path):
    # a survey export (no working hours; submitted_at is a date): one offset in the whole export ->
    # read as written, so 01:00+03:30 stays on 1 April
    text = "submitted_at,nps_score\n2024-04-01T01:00:00+03:30,9\n2024-04-01T10:00:00+03:30,7\n"
    data, check = load(tmp_path, text, report="survey_scores", columns={})
    assert [str(x)[:10] for x in data["Responses"]["submitted_at"]] == ["2024-04-01", "2024-04-01"]
    assert codes(check) == ["timezone_kept"]
    assert next(f for f in check if f.code == "timezone_kept").fields == {"column": "submitted_at", "offset": "+03:30"}
    # different offsets and no zone: UTC, with a warning; days counted in UTC (01:00+03:30 = 21:30Z on 31 March)
    text = "submitted_at,nps_score\n2024-04-01T01:00:00+03:30,9\n2024-04-01T10:00:00Z,7\n"
    data, check = load(tmp_path, text, report="survey_scores", columns={})
    assert [str(x)[:10] for x in data["Responses"]["submitted_at"]] == ["2024-03-31", "2024-04-01"]
    assert codes(check) == ["timezone_mixed"]
    mixed = next(f for f in check if f.code == "timezone_mixed")
    assert mixed.level == "warning" and mixed.fields == {"offsets": "Z, +03:30", "columns": "submitted_at",
                                                         "zone": "UTC"}
    assert sum(f.code == "rows_read" for f in check) == 1       # the first pass's findings are not kept


def test_reader_warns_of_times_without_an_offset_beside_offsets(tmp_path):
    text = HUBSPOT + "4,Closed,2024-04-05 09:00,2024-04-05 10:00,\n"
    data, check = load(tmp_path, text)
    naive = {f.column: f.fields for f in check if f.code == "timezone_naive"}
    assert naive["Create date"] == {"column": "Create date", "count": 1, "zone": "UTC"}
    assert str(data["Tickets"]["opened_at"][3])[:16] == "2024-04-05 09:00"


def test_reader_naive_export_has_no_timezone_finding(tmp_path):
    text = "Ticket ID,Ticket status,Create date,Close date,First agent reply date\n1,Closed,2024-03-09 22:00,2024-03-10 22:00,\n"
    data, check = load(tmp_path, text)
    assert codes(check) == []
    assert str(data["Tickets"]["opened_at"][0])[:16] == "2024-03-09 22:00"


def test_cli_report_from_a_hubspot_like_export(tmp_path):
    csv = tmp_path / "hubspot.csv"
    csv.write_text(HUBSPOT, encoding="utf-8")
    args = [sys.executable, "-m", "xl_cskpi", "report", "support_complaints", "--data", str(csv),
            "--map", "opened_at=Create date", "--map", "resolved_at=Close date",
            "--map", "first_response_at=First agent reply date", "--map", "status=Ticket status",
            "--values", "--period", "2024-03"]
    run = subprocess.run(args + ["-o", str(tmp_path / "a.xlsx")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    # March (UTC): ticket 1 only, 23 h (ticket 2 opened on 1 April in UTC)
    assert any("Average resolution time" in line and "23.0 h" in line for line in run.stdout.splitlines())
    assert "read in UTC" in run.stdout and "--timezone" in run.stdout
    bad = subprocess.run(args + ["-o", str(tmp_path / "b.xlsx"), "--timezone", "PST8"], capture_output=True,
                         text=True, timeout=300)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "--timezone 'PST8' is not an IANA time zone" in bad.stderr


def test_reader_takes_the_zone_of_the_templates_schedule(tmp_path):
    # a template's work_schedule (or --set work_schedule=...) with its own zone: 06:30Z is 09:30 in Riyadh (+03:00)
    data, check = load(tmp_path, HUBSPOT, schedule="Sun-Thu 09:00-17:00 Asia/Riyadh")
    assert str(data["Tickets"]["opened_at"][1])[:16] == "2024-04-01 09:30"
    f = next(x for x in check if x.code == "timezone_of_schedule")
    assert (f.fields["zone"], f.fields["schedule"]) == ("Asia/Riyadh", "Sun-Thu 09:00-17:00 Asia/Riyadh")
    # blank: the preset of the report's calendar (Persian: Jalali -> iran, Asia/Tehran: 06:30Z = 10:00)
    data, check = load(tmp_path, HUBSPOT, schedule="", lang="fa")
    assert str(data["Tickets"]["opened_at"][1])[:16] == "2024-04-01 10:00"
