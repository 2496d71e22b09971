"""The support report on real helpdesk exports (issue 15): business-hours SLA by priority on the
report language's week, tickets by agent/channel, backlog, and the parts an export cannot feed left
out with the reason. Values are read from ``xl-cskpi report --values`` workbooks; expected numbers are
hand-worked from tests/data/exports (comments)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xl_cskpi.cli import main
from xl_cskpi.reports.i18n import translator

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"


def _report(tmp_path, export: str, lang: str):
    out = tmp_path / f"{export}.{lang}.xlsx"
    assert main(["report", "support_complaints", "--data", str(EXPORTS / export), "--lang", lang,
                 "-o", str(out), "--values"]) == 0
    return load_workbook(out)


def _kpi(wb, lang, key):
    t = translator(lang)
    ws = wb[t("sheet.dashboard")]
    for row in ws.iter_rows(values_only=True):
        if row[0] == t(f"kpi.{key}"):
            return row[1]
    raise AssertionError(f"no KPI {key}")


def _table(wb, lang, key):
    ws = wb[translator(lang)(f"sheet.{key}")]
    rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    return [r for r in rows if any(v is not None for v in r)]


@pytest.mark.parametrize("lang,median_bh", [
    # Zendesk sample: solved 1041 (Mon 3 June 2024 09:15 -> 13:00) and 1045 (Wed 5 June 07:45 -> 08:10).
    # fa, Iranian week: 3 June is a holiday (death of Imam Khomeini) -> 0 h; 1045: 08:00-08:10 -> 1/6 h;
    #     median 1/12 h
    ("fa", 1 / 12),
    # ar, Saudi week (Sun-Thu 08-16): 1041 3.75 h, 1045 1/6 h -> median (3.75 + 1/6) / 2
    ("ar", (3.75 + 1 / 6) / 2),
    # en, Mon-Fri 09-17: 1041 3.75 h, 1045 (before 09:00) 0 h -> 1.875
    ("en", 1.875),
])
def test_zendesk_business_hours_on_the_language_week(tmp_path, lang, median_bh):
    wb = _report(tmp_path, "zendesk_tickets.csv", lang)
    assert _kpi(wb, lang, "median_resolution_business_hours") == pytest.approx(median_bh)
    assert _kpi(wb, lang, "median_resolution_hours") == pytest.approx((3.75 + 25 / 60) / 2)   # calendar hours
    # Zendesk Replies 2 (1041) and 1 (1045): one of the two solved tickets is one-touch; no reopens
    assert _kpi(wb, lang, "one_touch_rate") == 0.5 and _kpi(wb, lang, "reopen_rate") == 0
    sla = _table(wb, lang, "sla_by_priority")
    assert len([h for h in sla[0] if h]) == 8            # Priority, Target, Tickets, Met, Breached, ...
    body = {r[0]: r[1:8] for r in sla[1:]}
    # Normal: 1041 and 1045 met 24 h. The report judges open tickets as of the tickets' latest time
    # (G39, session 5: 1045 solved Wed 5 June 08:10): urgent 1044, open since Tue 4 June 11:00, has
    # 6 h of the Mon-Fri 09-17 week (en) and 5 h 10 min of the Saudi Sun-Thu 08-16 week (ar) past its
    # 4 h target: open and breached; on the Iranian week 4 June is a holiday (15 Khordad), so 10 min:
    # still open, not judged
    assert body["normal"][:6] == [24, 2, 2, 0, 0, 0]
    assert body["urgent"][:6] == ([4, 1, 0, 0, 0, 1] if lang == "fa" else [4, 1, 0, 0, 1, 0])
    agents = {r[0]: r[1:4] for r in _table(wb, lang, "tickets_by_agent")[1:]}
    assert agents["Sara K"] == [3, 2, 1] and agents["Li W"] == [2, 0, 2]
    channels = {r[0]: r[1] for r in _table(wb, lang, "tickets_by_channel")[1:]}
    assert channels["Mail"] == 3 and channels["Chat"] == 1 and channels["Web form"] == 1
    backlog = _table(wb, lang, "backlog")[1:]
    # 3 June: opened 1041, 1042, solved 1041 -> 1; 4 June: +1043, 1044 -> 3; 5 June: +1045, -1045 -> 3
    assert [r[1:4] for r in backlog] == [[2, 1, 1], [2, 0, 3], [1, 1, 3]]
    if lang == "fa":
        assert backlog[0][0] == "1403-03-14"             # Jalali days on a Persian report


def test_intercom_export_leaves_out_what_it_has_not(tmp_path):
    # Intercom's conversation export has no reopen count and no agent-reply count: those KPIs say so
    wb = _report(tmp_path, "intercom_conversations.csv", "en")
    assert str(_kpi(wb, "en", "reopen_rate")).startswith("n/a")
    assert str(_kpi(wb, "en", "one_touch_rate")).startswith("n/a")
    # ... and the Saudi/Western weeks still give business hours: 215469100 Mon 3 June 07:30 -> 12:00 = 3 h
    # on Mon-Fri 09-17; 215468921 on Saturday -> 0 h; median 1.5 h
    assert _kpi(wb, "en", "median_resolution_business_hours") == pytest.approx(1.5)
    csat = {r[0]: r[6:8] for r in _table(wb, "en", "satisfaction_by_agent")[1:]}
    assert csat["Total"] == [2, 1.0]                     # ratings 5 and 4 of 1-5: both satisfied
