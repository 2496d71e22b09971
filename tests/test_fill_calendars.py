"""Exports written with Jalali or Hijri dates: read in the report language's calendar."""

import subprocess
import sys
from pathlib import Path

import jdatetime
import pandas as pd
import pytest
from hijridate import Gregorian

from xl_cskpi import calendars, sample
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import ExportError, load_data

SURVEY = reports()["survey_scores"]


def _as_dates(values: list, folder: Path, lang: str) -> list:
    """The dates of a survey export's Date column read in ``lang``'s report (header row 1, data from row 2)."""
    p = folder / "export.csv"
    body = "".join(f"{'' if v is None else v},9\n" for v in values)
    p.write_text("Date,nps_score\n" + body, encoding="utf-8")
    data, _ = load_data(SURVEY, [p], ReadOptions(lang=lang))
    return data["Responses"]["submitted_at"].tolist()


def test_jalali_dates_with_persian_digits(tmp_path):
    # 11 Shahrivar 1403 = 1 September 2024 (JALALI_DATE's worked example); 30 Esfand 1403 = 20 March
    # 2025 (1403 is a leap year); both also per jdatetime. (The survey's Date column is a date column:
    # a time of day is the Tickets' datetime columns' business.)
    got = _as_dates(["1403/06/11", "۱۴۰۳/۰۶/۱۲", None, "1403-12-30"], tmp_path, "fa")
    assert got[0] == pd.Timestamp("2024-09-01") and got[1] == pd.Timestamp("2024-09-02")
    assert pd.isna(got[2]) and got[3] == pd.Timestamp("2025-03-20")
    assert jdatetime.date(1403, 12, 30).togregorian() == pd.Timestamp("2025-03-20").date()


def test_jalali_datetimes_in_a_tickets_export(tmp_path):
    p = tmp_path / "tickets.csv"
    p.write_text("ticket_id,opened_at,resolved_at\nT1,۱۴۰۳/۰۶/۱۲ 10:30,1403/06/12 12:00\n", encoding="utf-8")
    data, _ = load_data(reports()["support_complaints"], [p], ReadOptions(lang="fa"))
    t = data["Tickets"]
    assert t.loc[0, "opened_at"] == pd.Timestamp("2024-09-02 10:30")
    assert t.loc[0, "resolved_at"] == pd.Timestamp("2024-09-02 12:00")


def test_hijri_dates_in_arabic_reports(tmp_path):
    # Umm al-Qura, per hijridate: 1 Muharram 1446 = 7 July 2024
    got = _as_dates(["1446/01/01", "١٤٤٦/٠١/٠٢"], tmp_path, "ar")
    assert got == [pd.Timestamp("2024-07-07"), pd.Timestamp("2024-07-08")]
    g = Gregorian(2024, 7, 7).to_hijri()
    assert (g.year, g.month, g.day) == (1446, 1, 1)


@pytest.mark.parametrize("lang, text, why", [
    ("en", "1403/06/11", r"--lang fa|--calendar"),     # a Jalali date in a Gregorian report: say what to pass
    ("fa", "1402/12/30", r"1402/12/30"),               # 1402 is not a leap year: no 30 Esfand
    ("fa", "1403/13/01", r"1403/13/01"),
    ("ar", "1446/13/01", r"1446/13/01"),
])
def test_impossible_or_foreign_local_dates_name_the_row(tmp_path, lang, text, why):
    with pytest.raises(ExportError, match=rf"export.csv: row 3, column Date: .*({why})") as e:
        _as_dates(["1403/01/05" if lang == "fa" else "1446/01/05" if lang == "ar" else "2024-01-01", text],
                  tmp_path, lang)
    assert "\n" not in str(e.value)


def test_a_year_of_jalali_days_agrees_with_jdatetime(tmp_path):
    days = pd.date_range("2024-03-20", "2025-03-20", freq="D")
    text = [jdatetime.date.fromgregorian(date=d.date()).strftime("%Y/%m/%d") for d in days]
    got = _as_dates(text, tmp_path, "fa")
    assert got == list(days)


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
    data, _ = load_data(r, files, ReadOptions(lang="fa"))
    want, _ = load_data(r, [paths[tb.name] for tb in r.tables], ReadOptions(lang="fa"))
    assert data["Subscriptions"]["month"].tolist() == pd.to_datetime(want["Subscriptions"]["month"]).tolist()
    out = tmp_path / "revenue.fa.xlsx"
    proc = subprocess.run([sys.executable, "-m", "xl_cskpi", "report", "revenue", "--lang", "fa", "--values",
                           "--data", *map(str, files), "-o", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    labels = calendars.period_labels(pd.to_datetime(data["Subscriptions"]["month"]).to_numpy(), "month", "jalali")
    assert min(labels) == "1402-10"  # the sample starts on 1 January 2024 = 11 Dey 1402
