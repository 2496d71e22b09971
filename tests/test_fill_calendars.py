"""Exports written with Jalali or Hijri dates: read in the report language's calendar."""

import subprocess
import sys
from pathlib import Path

import jdatetime
import pandas as pd
import pytest
from hijridate import Gregorian

from xl_cskpi import calendars, sample
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import ExportError, _as_dates, load_data

X = Path("export.csv")


def test_jalali_dates_with_persian_digits_and_times():
    # 11 Shahrivar 1403 = 1 September 2024 (JALALI_DATE's worked example); 30 Esfand 1403 = 20 March
    # 2025 (1403 is a leap year); both also per jdatetime
    s = pd.Series(["1403/06/11", "۱۴۰۳/۰۶/۱۲ 10:30", None, "1403-12-30", "2024-09-01"], dtype=object)
    got = _as_dates(s, X, "Date", "fa").tolist()
    assert got[0] == pd.Timestamp("2024-09-01") and got[1] == pd.Timestamp("2024-09-02 10:30")
    assert pd.isna(got[2]) and got[3] == pd.Timestamp("2025-03-20") and got[4] == pd.Timestamp("2024-09-01")


def test_hijri_dates_in_arabic_reports():
    # Umm al-Qura, per hijridate: 1 Muharram 1446 = 7 July 2024
    got = _as_dates(pd.Series(["1446/01/01", "١٤٤٦/٠١/٠٢"], dtype=object), X, "Date", "ar").tolist()
    assert got == [pd.Timestamp("2024-07-07"), pd.Timestamp("2024-07-08")]
    g = Gregorian(2024, 7, 7).to_hijri()
    assert (g.year, g.month, g.day) == (1446, 1, 1)


@pytest.mark.parametrize("lang, text, why", [
    ("en", "1403/06/11", "looks like a Jalali or Hijri date; use --lang fa"),
    ("fa", "1402/12/30", "is not a jalali date"),   # 1402 is not a leap year
    ("fa", "1403/13/01", "is not a jalali date"),
    ("ar", "1446/13/01", "is not a hijri date"),
])
def test_impossible_or_ambiguous_local_dates_name_the_row(lang, text, why):
    with pytest.raises(ExportError, match=rf"export.csv: row 3, column Date: '{text}' {why}"):
        _as_dates(pd.Series(["2024-01-01", text], dtype=object), X, "Date", lang)


def test_a_year_of_jalali_days_agrees_with_jdatetime():
    days = pd.date_range("2024-03-20", "2025-03-20", freq="D")
    text = [jdatetime.date.fromgregorian(date=d.date()).strftime("%Y/%m/%d") for d in days]
    got = _as_dates(pd.Series(text, dtype=object), X, "Date", "fa")
    assert (got.to_numpy() == days.to_numpy()).all()


def test_report_from_a_jalali_export_buckets_by_jalali_month(tmp_path):
    """End to end: the sample billing export rewritten with Jalali dates gives the same report."""
    exports = sample.generate()
    paths = {sample.EXPORTS[k]: p for k, p in sample.write_csv(exports, tmp_path / "g").items()}
    r = reports()["revenue"]
    subs = pd.read_csv(paths["Subscriptions"])
    month_col = [c for c in subs.columns if c.lower().startswith("month")][0]
    subs[month_col] = [jdatetime.date.fromgregorian(date=pd.Timestamp(v).date()).strftime("%Y/%m/%d")
                       for v in subs[month_col]]
    jalali_csv = tmp_path / "subscriptions_jalali.csv"
    subs.to_csv(jalali_csv, index=False)
    files = [jalali_csv if tb.name == "Subscriptions" else paths[tb.name] for tb in r.tables]
    data = load_data(r, files, "fa")
    want = load_data(r, [paths[tb.name] for tb in r.tables], "fa")
    assert data["Subscriptions"]["month"].tolist() == pd.to_datetime(want["Subscriptions"]["month"]).tolist()
    out = tmp_path / "revenue.fa.xlsx"
    proc = subprocess.run([sys.executable, "-m", "xl_cskpi", "report", "revenue", "--lang", "fa", "--values",
                           "--data", *map(str, files), "-o", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    labels = calendars.period_labels(pd.to_datetime(data["Subscriptions"]["month"]).to_numpy(), "month", "jalali")
    assert min(labels) == "1402-10"  # the sample starts on 1 January 2024 = 11 Dey 1402
