"""compute reads Jalali text dates as report does (--calendar jalali, the pandas engine: the report's
date reader with the calendar), and the SQL engines refuse them with a line instead of taking
1403-06-03 for a Gregorian date of the year 1403."""

from __future__ import annotations

import pytest

from xl_cskpi import engines
from xl_cskpi.errors import KPIError

#: Persian tickets written in the Jalali calendar (like the reviewer's tickets_fa.csv). By hand: ticket 1,
#: 10:00 to 14:00 = 4 h; ticket 2, 15:00 on the 7th to 09:00 on the 10th = 66 h; mean 35 h (report
#: support_complaints --calendar jalali prints 35.0 h, 2 tickets, for Shahrivar 1403).
JALALI = "ticket_id,opened_at,resolved_at\n1,1403-06-03 10:00,1403-06-03 14:00\n2,۱۴۰۳/۰۶/۰۷ ۱۵:۰۰,۱۴۰۳/۰۶/۱۰ ۰۹:۰۰\n"


def test_jalali_text_dates_on_pandas_as_report(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(JALALI, encoding="utf-8")
    out = engines.compute("support_summary", str(path), engine="pandas", calendar="jalali")
    row = out.iloc[0]
    assert (row["period"], row["tickets"], row["resolved_in_period"]) == ("1403-06", 2, 2)
    assert row["resolution_mean_hours"] == pytest.approx(35.0)


@pytest.mark.parametrize("calendar", ["gregorian", "jalali"])
def test_sql_engines_refuse_jalali_text_dates(tmp_path, calendar):
    path = tmp_path / "tickets.csv"
    path.write_text(JALALI.replace("۱۴۰۳/۰۶/۰۷ ۱۵:۰۰,۱۴۰۳/۰۶/۱۰ ۰۹:۰۰", "1403-06-07 15:00,1403-06-10 09:00"))
    with pytest.raises(engines.EngineError, match="a date in the year 1403 .a Jalali or Hijri date"):
        engines.compute("support_summary", str(path), engine="duckdb", calendar=calendar)
    with pytest.raises(KPIError, match="looks like a Jalali or Hijri date"):   # pandas without the calendar: refused
        engines.compute("support_summary", str(path), engine="pandas")
