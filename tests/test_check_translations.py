"""Every finding of the data check reads in Persian and Arabic, with the fields its reader really passes.

The "Data check" sheet shows ``t(f"check.{code}", **fields)`` (:func:`xl_cskpi.reports.datacheck.finding_text`)
and falls back to the English message when a language has no sentence for the code, or when the
reader's fields do not fit it: a Persian or Arabic report would then show English lines without a
word said. So:

* every code the package can emit (found by scanning its source, not by a list kept by hand) has a
  sentence in en, fa and ar (or one per variant, as ``out_of_range`` below/above/order);
* real findings, produced by running small exports through the real readers, mapper, pipeline and
  builder, format in fa and ar without raising, without falling back to the English message and
  without a ``{`` left unformatted.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import xl_cskpi
from xl_cskpi.reports.specs import tables as T
from xl_cskpi.exports.check import DataCheck, Finding, ReadOptions
from xl_cskpi.exports.mapping import match
from xl_cskpi.exports.profiles import DERIVED
from xl_cskpi.exports.read import expand_paths, read_file
from xl_cskpi.reports import datacheck, i18n, lang_ar, lang_fa, reports
from xl_cskpi.reports.fill import load_data

R = reports()
PACKAGE = Path(xl_cskpi.__file__).parent
DATA = Path(__file__).parent / "data" / "exports"
LANGS = {"fa": lang_fa.STRINGS, "ar": lang_ar.STRINGS}

#: Codes with one sentence per variant (datacheck._key): the base key is never looked up.
VARIANTS = {"out_of_range": ("below", "above", "order"), "counts_disagree": ("flow", "step"),
            "customers_as_of_from_data": ("today", "latest")}

#: A call passing its code through a variable: (file, variable) -> the codes it can pass, each of
#: which must be a string literal in that file. A new indirect call fails the scan until listed here.
INDIRECT = {
    ("tables/subscriptions.py", "code"): {"subscription_trial", "subscription_never_paid", "subscription_zero",
                                          "subscription_stopped"},
}

#: The scan must find at least this many codes (36 on 2026-11-30): a regex broken by a change of
#: style would otherwise find none and every test below would pass over nothing.
FLOOR = 36

_DIRECT = re.compile(r"""\bcheck\.(?:warn|info|error)\(\s*["'](\w+)["']""")
_ADD = re.compile(r"""\bcheck\.add\(\s*["']\w+["']\s*,\s*["'](\w+)["']""")
_FINDING = re.compile(r"""\bFinding\(\s*["'](?:info|warning|error)["']\s*,\s*["'](\w+)["']""")
_VARIABLE = re.compile(r"""\bcheck\.(?:warn|info|error)\(\s*([A-Za-z_]\w*)\s*[,)]""")


def emitted_codes() -> set[str]:
    """Every finding code in the package's source: literal first arguments of ``check.warn/info/error``,
    the code of ``check.add`` and ``Finding(...)``, and the codes of the known indirect calls."""
    codes: set[str] = set()
    variables: set[tuple[str, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "check.py" and path.parent.name == "exports":
            continue                       # the class itself (its docstrings name examples)
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(PACKAGE).as_posix()
        for rx in (_DIRECT, _ADD, _FINDING):
            codes |= set(rx.findall(text))
        for var in _VARIABLE.findall(text):
            variables.add((rel, var))
            for code in INDIRECT.get((rel, var), ()):
                assert f'"{code}"' in text, f"{rel}: {code!r} is no longer a literal there; update INDIRECT"
            codes |= INDIRECT.get((rel, var), set())
    unknown = variables - set(INDIRECT)
    assert not unknown, f"check calls passing the code through a variable, not listed in INDIRECT: {sorted(unknown)}"
    assert len(codes) >= FLOOR, f"the scan found only {len(codes)} codes ({sorted(codes)}): is the regex stale?"
    return codes


def keys_of(code: str) -> list[str]:
    return [f"check.{code}.{v}" for v in VARIANTS[code]] if code in VARIANTS else [f"check.{code}"]


# --------------------------------------------------------------------------- every code has a sentence

def test_the_scan_finds_the_codes_named_in_the_brief():
    # the codes the pipeline's docstrings and the brief list: the scan must see each of them
    named = {"accounts_compare", "amounts_cents", "cell_too_long", "coalesced", "column_duplicate_field",
             "column_ignored", "column_mapped", "column_undecided", "columns_blank", "control_characters",
             "derived_column", "duplicate_rows", "encoding", "error_cells", "files_combined", "file_skipped",
             "file_unused", "folder", "header_row_skipped", "minor_units", "month_calendar", "out_of_range",
             "path_skipped", "profile_detected", "rows_read", "sheet_chosen", "status_unmapped",
             "table_absent", "tables_derived", "file_other_table", "subscription_trial", "subscription_never_paid",
             "subscription_zero", "subscription_stopped", "kpi_error", "kpi_absent"}
    assert sorted(named - emitted_codes()) == []


@pytest.mark.parametrize("lang", ["en", "fa", "ar"])
def test_every_emitted_code_has_a_sentence(lang):
    table = i18n.STRINGS["en"] if lang == "en" else LANGS[lang]
    missing = [k for code in sorted(emitted_codes()) for k in keys_of(code) if not table.get(k)]
    assert missing == [], f"{lang}: no sentence for {missing}"


def test_the_scan_fails_on_an_unlisted_indirect_call(tmp_path, monkeypatch):
    # the guard itself can fail: a check.warn(kind, ...) the table does not know stops the scan
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("def f(check, kind):\n    check.warn(kind, 'x')\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", pkg)
    with pytest.raises(AssertionError, match=r"INDIRECT.*a\.py"):
        emitted_codes()


def test_accounts_compare_says_for_this_span():
    # a history shorter than 12 months compares its first month with its latest (fill._derive): the
    # sentence must not say "twelve months"
    assert "this span" in i18n.STRINGS["en"]["check.accounts_compare"]
    assert "twelve" not in i18n.STRINGS["en"]["check.accounts_compare"]
    assert "دوازده" not in lang_fa.STRINGS["check.accounts_compare"]
    assert "بازه" in lang_fa.STRINGS["check.accounts_compare"]
    assert "الاثني عشر" not in lang_ar.STRINGS["check.accounts_compare"]
    assert "الفترة" in lang_ar.STRINGS["check.accounts_compare"]


def test_derived_column_sentences_say_minutes_because_every_derived_unit_is_minutes():
    # fa/ar write the unit as a word (دقیقه, دقائق): a profile deriving from hours would need a variant
    assert {unit for table in DERIVED.values() for _, _, unit in table.values()} == {"minutes"}


def test_a_list_field_reads_as_words_joined_by_the_language_comma():
    # columns_blank passes a list (fill._derive): not "['renewals_due', 'renewals']"
    f = Finding("info", "columns_blank", "Months: renewals_due, renewals cannot be derived ...", table="Months",
                fields={"columns": ["renewals_due", "renewals"]})
    fa = datacheck.finding_text(f, i18n.translator("fa"), "fa")
    assert fa.startswith("renewals_due\u060c renewals ") and "[" not in fa
    en = i18n.translator("en")("check.columns_blank", columns=["renewals_due", "renewals"])
    assert en.startswith("renewals_due, renewals cannot")


# --------------------------------------------------------------------------- real findings, translated

def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = folder / name
    p.write_text(text, encoding=encoding)
    return p


def _load(report: str, paths, **options) -> DataCheck:
    _, check = load_data(R[report], [Path(p) for p in paths], ReadOptions(**options))
    return check


def _read_cells(d: Path) -> DataCheck:
    # a control character in a header and in a cell, and a cell longer than Excel's 32,767 characters
    check = DataCheck()
    p = _write(d, "controls.csv", "customer_id,no\x07te,mrr\nc\x01one,ok,10\nc2," + "x" * 40_000 + ",20\n")
    read_file(p, check)
    return check


def _read_cp1256(d: Path) -> DataCheck:
    check = DataCheck()
    p = d / "arabic.csv"
    p.write_bytes("العميل,الشهر,الإيراد\nشركة النور,2024-01-01,100\n".encode("cp1256"))
    read_file(p, check)
    return check


def _read_xlsx(d: Path) -> DataCheck:
    # a cover sheet before the data, and an Excel error cell in the data
    p = d / "export.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active["A1"] = "Subscriptions export, September"
    ws = wb.create_sheet("Data")
    ws.append(["customer_id", "mrr"])
    ws.append(["c1", "#DIV/0!"])
    ws["B2"].data_type = "e"
    ws.append(["c2", 10.0])
    wb.save(p)
    check = DataCheck()
    read_file(p, check)
    return check


def _paths(d: Path) -> DataCheck:
    folder = d / "exports"
    folder.mkdir()
    _write(folder, "a.csv", "x,y\n1,2\n")
    _write(folder, "b.csv", "x,y\n1,2\n")
    _write(folder, "notes.md", "not an export\n")
    _write(folder, "~$lock.csv", "")
    check = DataCheck()
    expand_paths([str(folder), str(folder / "*")], check)
    return check


def _mapping(d: Path) -> DataCheck:
    # two monthly exports of one table (combined), a file that fits nothing, and ignored columns
    check = DataCheck()
    weather = _write(d, "weather.csv", "city,temperature\nTehran,31\nRiyadh,40\n")
    z = (DATA / "zendesk_tickets.csv").read_text(encoding="utf-8")
    may = _write(d, "tickets_may.csv", z.replace("2024-06-", "2024-05-"))
    paths = [may, DATA / "zendesk_tickets.csv", weather]
    match([T.TICKETS, T.COMPLAINTS], {p: read_file(p, check) for p in paths}, ReadOptions(), check)
    return check


def _mapping_other_kind(d: Path) -> DataCheck:
    # a recognised billing export in a support report: another report's export, skipped
    check = DataCheck()
    p = DATA / "stripe_subscriptions.csv"
    match([T.TICKETS, T.COMPLAINTS], {p: read_file(p, check)}, ReadOptions(), check)
    return check


def _mapping_cents(d: Path) -> DataCheck:
    check = DataCheck()
    p = _write(d, "cb.csv", "subscriptions.id,customers.id,subscriptions.status,subscriptions.started_at,"
                            "subscriptions.plan_unit_price\ns1,c1,active,2024-01-01,5900\n"
                            "s2,c2,active,2024-02-01,2500\n")
    match([T.BILLING], {p: read_file(p, check)}, ReadOptions(), check)
    return check


def _mapping_two_csat(d: Path) -> DataCheck:
    check = DataCheck()
    p = _write(d, "t.csv", "#,How likely are you to recommend us?,Satisfied with support?,Satisfied with price?,"
                           "Submit Date (UTC),Network ID\nt1,9,5,2,2024-06-01 08:00:00,n1\n")
    match([T.RESPONSES], {p: read_file(p, check)}, ReadOptions(), check)
    return check


def _mapping_map(d: Path) -> DataCheck:
    check = DataCheck()
    p = _write(d, "typeform.csv", "#,Q1,Q2,Submit Date (UTC),Network ID\n"
                                  "t1,9,3,2024-06-01 08:01:00,n1\nt2,10,7,2024-06-02 08:01:00,n2\n")
    match([T.RESPONSES], {p: read_file(p, check)}, ReadOptions(columns={"nps_score": "Q2"}), check)
    return check


def _mapping_two_spellings(d: Path) -> DataCheck:
    check = DataCheck()
    p = _write(d, "months.csv", "month,Customers at start,customers_start,customers_new,customers_lost,customers_end\n"
                                "2024-01-01,100,100,5,3,102\n2024-02-01,102,102,4,2,104\n")
    match([T.MONTHS], {p: read_file(p, check)}, ReadOptions(), check)
    return check


def _survey(d: Path) -> DataCheck:
    # an NPS of 11, a row written twice, a column that feeds nothing; then the builder's KPI findings
    from xl_cskpi.reports.builder import build

    p = _write(d, "responses.csv", "submitted_at,nps_score,favourite_colour\n2024-03-01,9,red\n"
                                   "2024-03-01,9,red\n2024-03-02,11,blue\n2024-03-03,4,green\n")
    data, check = load_data(R["survey_scores"], [p], ReadOptions())
    build(R["survey_scores"], d / "s.xlsx", data=data, values=True, check=check)
    return check


def _negative_mrr(d: Path) -> DataCheck:
    p = _write(d, "subscriptions.csv", "customer_id,month,mrr\nc1,2024-01-01,100\nc1,2024-02-01,-5\n")
    return _load("revenue", [p])


def _tickets_order(d: Path) -> DataCheck:
    p = _write(d, "tickets.csv", "ticket_id,customer_id,opened_at,resolved_at,status\n"
                                 "t1,c1,2024-03-05 10:00,2024-03-04 09:00,solved\n"
                                 "t2,c2,2024-03-05 10:00,2024-03-06 09:00,solved\n")
    return _load("support_complaints", [p])


def _ces_readings(d: Path) -> DataCheck:
    # session 5 (S): the CES question's direction. A 1-5 effort question whose header says "effort" fills
    # ces_question effort; then the same answers read with ces_question easy, blank on 1-5, blank on 1-7
    from xl_cskpi.reports.builder import build
    from xl_cskpi.reports.specs.survey_scale import settings_from_headers

    rows = "".join(f"2024-03-{i + 1:02d},{i % 11},{i % 5 + 1}\n" for i in range(12))
    p = _write(d, "responses.csv", "submitted_at,nps_score,How much effort did you personally have to put forth "
               "to handle your request?\n" + rows)
    data, check = load_data(R["survey_scores"], [p], ReadOptions())
    settings = settings_from_headers(R["survey_scores"], data, {"ces_scale": 5}, check)
    assert settings["ces_question"] == "effort"
    for extra in ({}, {"ces_question": "easy"}, {"ces_question": None}, {"ces_question": None, "ces_scale": 7}):
        build(R["survey_scores"], d / "s.xlsx", data=data, values=True, check=check, settings={**settings, **extra})
    return check


def _recurly_cents(d: Path) -> DataCheck:
    # Recurly subscriptions (API field names): unit_amount_in_cents divided by 100; a canceled (non-renewing)
    # subscription's expires_at after the export is scheduled, not the export's last event (engineer B, G10/G11)
    p = _write(d, "recurly.csv",
               "account_code,uuid,plan_code,state,quantity,unit_amount_in_cents,currency,activated_at,expires_at,"
               "current_period_started_at,current_period_ends_at,plan_interval_length,plan_interval_unit\n"
               "acct-1,5a1,gold,active,1,120000,USD,2024-01-10,,2024-01-10,2025-01-10,12,months\n"
               "acct-2,5a2,silver,active,2,2900,USD,2024-02-01,,2024-06-01,2024-07-01,1,months\n"
               "acct-4,5a4,gold-q,canceled,1,30000,USD,2024-03-01,2024-09-01,2024-06-01,2024-09-01,3,months\n")
    return _load("revenue", [p])


def _chargebee_items(d: Path) -> DataCheck:
    # Chargebee Product Catalog 2.0 (one row per subscription item: a one-time charge left out with its amount)
    # and a paused subscription (pause_date -> resume_date); P1's own mrr 129 is not the 99 read (an addon missing
    # from the export): vendor_mrr_differs (engineer B, G19/G1)
    p = _write(d, "chargebee.csv",
               "subscriptions.id,subscriptions.customer_id,subscriptions.status,subscriptions.currency_code,"
               "subscriptions.billing_period,subscriptions.billing_period_unit,subscriptions.current_term_start,"
               "subscriptions.current_term_end,subscriptions.started_at,subscriptions.pause_date,"
               "subscriptions.resume_date,subscription_items.item_type,subscription_items.quantity,"
               "subscription_items.unit_price,subscriptions.mrr\n"
               "P1,k1,active,USD,1,month,2024-06-01,2024-07-01,2024-01-01,,,plan,1,99.00,129.00\n"
               "P1,k1,active,USD,1,month,2024-06-01,2024-07-01,2024-01-01,,,charge,1,500.00,129.00\n"
               "P2,k2,paused,USD,1,month,2024-02-01,2024-03-01,2024-01-01,2024-03-01,2024-09-01,plan,1,59.00,0.00\n")
    return _load("revenue", [p])


def _stripe_coupons(d: Path) -> DataCheck:
    # Stripe subscriptions export with its Coupon column: one coupon states its discount, one is an id; sub_3's plan
    # changed on 10 May (Start (UTC) after Start Date (UTC)) (engineer B, G2)
    p = _write(d, "stripe_coupons.csv",
               "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start Date (UTC),Start (UTC),Coupon\n"
               "sub_1,cus_A,basic,1,usd,month,49.00,active,2024-01-03,2024-01-03,25% off\n"
               "sub_2,cus_B,basic,1,usd,month,49.00,active,2024-02-10,2024-02-10,HALFOFF\n"
               "sub_3,cus_C,pro,1,usd,month,99.00,active,2024-03-10,2024-05-10,\n")
    return _load("revenue", [p])


def _billing_no_interval(d: Path) -> DataCheck:
    # a hand-kept subscription list without an interval column: each amount a monthly price, said (engineer B)
    p = _write(d, "subs.csv", "customer_id,start,amount\nc1,2024-01-05,49\nc2,2024-02-10,99\n")
    return _load("revenue", [p])


def _read_text_shapes(d: Path) -> DataCheck:
    # Excel's sep= line; Google Ads title lines; a pasted second header; Qualtrics' 3 header rows; Mac line
    # ends; trailing empty cells (engineer E, session 5: U1, U18, U3, G24)
    check = DataCheck()
    read_file(_write(d, "eu.csv", "sep=;\ncustomer_id;month;mrr\nK1;2024-01;10\n"), check)
    read_file(_write(d, "ads.csv", 'Campaign report\n"June 1, 2024 - June 30, 2024"\nCampaign,Spend\nA,5\n'), check)
    read_file(_write(d, "gf.csv", "Timestamp,Score\n6/3/2024,9\nTimestamp,Score\n6/4/2024,7\n"), check)
    read_file(_write(d, "q.csv", 'StartDate,Q1\nStart Date,How likely are you to recommend us?\n'
                                 '"{""ImportId"":""startDate""}","{""ImportId"":""QID1""}"\n2024-05-02,9\n'), check)
    mac = d / "mac.csv"
    mac.write_bytes(b"customer_id,month,mrr\rC1,2024-01,10\r")
    read_file(mac, check)
    read_file(_write(d, "t.csv", "customer_id,month,mrr\nA,2024-01,100,,\n"), check)
    # Salesforce's footer below the rows, counting them, counting others, and without a count (session 6)
    for name, total in (("sf1.csv", "Grand Totals (1 records)"), ("sf2.csv", "Grand Totals (9 records)"),
                        ("sf3.csv", "Confidential Information - Do Not Distribute")):
        read_file(_write(d, name, f'"Account ID","Customer Since"\n"001A1","2024-01-05"\n\n"{total}"\n'
                                  '"Copyright (c) 2000-2024 salesforce.com, inc."\n'), check)
    return check


def _read_zip_sheets_unix(d: Path) -> DataCheck:
    # a zip of a CSV export; an xlsx whose first sheet is a summary; Unix times (E, session 5: U16, U10, U4)
    import zipfile

    from openpyxl import Workbook

    check = DataCheck()
    z = d / "export.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("tickets.csv", (DATA / "zendesk_tickets.csv").read_bytes())
    read_file(z, check)
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Report generated", "2024-08-02"])
    ws.append(["Status", "Count"])
    t = wb.create_sheet("Tickets")
    t.append(["Id", "Requester id", "Via", "Created at"])
    t.append([1, "r1", "Mail", "2024-07-01 09:00"])
    x = d / "two.xlsx"
    wb.save(x)
    match([T.TICKETS], {x: read_file(x, check)}, ReadOptions(), check)
    p = _write(d, "conversations.csv", "Conversation ID,Created at,State\nc1,1717405200,closed\n")
    _, c2 = load_data(R["support_complaints"], [p], ReadOptions())
    check.extend(f for f in c2 if f.code == "unix_time")
    return check


def _newest_row(d: Path) -> DataCheck:
    # the same tickets in two monthly exports: the later file's row is kept (E, session 5: G16)
    check = DataCheck()
    z = (DATA / "zendesk_tickets.csv").read_text(encoding="utf-8")
    may = _write(d, "tickets_may.csv", z)
    june = _write(d, "tickets_june.csv", z)
    match([T.TICKETS], {p: read_file(p, check) for p in (june, may)}, ReadOptions(), check)
    return check


def _qualtrics_rows(d: Path) -> DataCheck:
    # Qualtrics: the author's preview left out, an unfinished response counted (E, session 5: G27)
    text = ("StartDate,Status,Finished,RecordedDate,ResponseId,Q1,Q1_NPS_GROUP\n"
            "Start Date,Response Type,Finished,Recorded Date,Response ID,"
            "How likely are you to recommend Acme to a friend or colleague?,"
            "How likely are you to recommend Acme to a friend or colleague? - Group\n"
            '"{""ImportId"":""startDate""}","{""ImportId"":""status""}","{""ImportId"":""finished""}",'
            '"{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}",'
            '"{""ImportId"":""QID1_NPS_GROUP""}"\n')
    rows = [("IP Address", "True", 10, 3), ("IP Address", "True", 9, 3), ("IP Address", "True", 3, 1),
            ("Survey Preview", "True", 0, 1), ("IP Address", "False", 2, 1), ("IP Address", "True", 8, 2)]
    text += "".join(f"2024-05-0{i},{st},{fin},2024-05-0{i} 10:00:00,R_{i},{v},{g}\n"
                    for i, (st, fin, v, g) in enumerate(rows, 1))
    return _load("survey_scores", [_write(d, "qualtrics.csv", text)])


def _hidden_rows(d: Path) -> DataCheck:
    # a workbook left filtered: the hidden rows are read and said (E, session 5: G25)
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Export"
    for row in (["customer_id", "month", "mrr", "plan"], ["A", "2024-01", 1200, "Pro"], ["B", "2024-01", 300, "Basic"],
                ["A", "2024-02", 1200, "Pro"], ["B", "2024-02", 300, "Basic"]):
        ws.append(row)
    ws.auto_filter.ref = "A1:D5"
    ws.row_dimensions[3].hidden = True
    p = d / "subs.xlsx"
    wb.save(p)
    check = DataCheck()
    read_file(p, check)
    return check


def _nps_header_scale(d: Path) -> DataCheck:
    # reviewer's G36: a Google Forms "recommend" question on 1-5, five answers (S, session 5)
    from xl_cskpi.reports.builder import build

    p = _write(d, "responses.csv", "submitted_at,How likely are you to recommend us to a friend? (1-5)\n"
               + "".join(f"2024-03-{i + 1:02d},{s}\n" for i, s in enumerate((5, 4, 5, 3, 5))))
    data, check = load_data(R["survey_scores"], [p], ReadOptions())
    build(R["survey_scores"], d / "n.xlsx", data=data, values=True, check=check)
    return check


def _sla_as_of(d: Path) -> DataCheck:
    # reviewer's G39: sla_as_of left blank is the latest time in the tickets
    from xl_cskpi.reports.fill import sla_as_of_from_data

    p = _write(d, "tickets.csv", "ticket_id,customer_id,opened_at,resolved_at,status\n"
                                 "t1,c1,2024-06-04 10:00,,open\nt2,c2,2024-06-05 10:00,2024-06-05 12:00,solved\n")
    data, check = load_data(R["support_complaints"], [p], ReadOptions())
    sla_as_of_from_data(R["support_complaints"], data, {}, check)
    return check


def _customers_as_of(d: Path) -> DataCheck:
    # reviewer's H5 (session 6): a list of annual contracts, their scheduled ends after "today" (a fixed
    # day here), and an old one whose ends all fall on anniversaries, measured to its latest date
    from xl_cskpi.reports.fill import customers_as_of_from_data, next_day_renewals

    check = DataCheck()
    for name, today in (("contracts.csv", "2026-12-01"), ("old.csv", "2030-01-01")):
        p = _write(d, name, "customer_id,start_date,end_date\nC1,2026-01-01,2027-01-01\nC2,2026-02-01,2027-02-01\n"
                            "C3,2026-03-01,2027-03-01\nC4,2026-04-01,2026-08-10\n")
        data, c = load_data(R["churn_retention"], [p], ReadOptions())
        customers_as_of_from_data(R["churn_retention"], data, {}, c, today=today)
        check.extend(c)
    # a renewal row the day after its contract's inclusive end (reviewer's K2)
    p = _write(d, "renewal.csv", "customer_id,start_date,end_date\nC1,2024-01-10,2024-06-30\nC1,2024-07-01,\n")
    data, c = load_data(R["churn_retention"], [p], ReadOptions())
    next_day_renewals(data, c)
    check.extend(c)
    return check


def _score_answers(d: Path) -> DataCheck:
    # reviewer's H1 (session 6): recommend answers written as labels ("10 - Extremely likely") and
    # non-answers ("Not answered", "بدون پاسخ") read as their score and as blank
    check = DataCheck()
    for name, text in (("labels.csv", "Date Submitted,How likely are you to recommend us?\n2024-03-02,10 - Extremely likely\n"
                                      "2024-03-03,9\n2024-03-04,0 - Not at all likely\n"),
                       ("skipped.csv", "Response Date,How likely are you to recommend Acme?\n2024-05-01,7\n"
                                       "2024-05-02,Not answered\n2024-05-03,10\n"),
                       ("fa.csv", "تاریخ ثبت پاسخ,چقدر احتمال دارد ما را به دوستان خود پیشنهاد کنید؟\n1403/02/02,۱۰ - خیلی زیاد\n"
                                  "1403/02/03,بدون پاسخ\n1403/02/04,۳\n")):
        check.extend(_load("survey_scores", [_write(d, name, text)], lang="fa" if name == "fa.csv" else "en"))
    return check


def _month_without_rows(d: Path) -> DataCheck:
    # reviewer's K4 (session 6): a customer-month MRR table missing its March rows
    from xl_cskpi.reports.fill import months_without_rows

    p = _write(d, "mrr.csv", "customer_id,month,mrr\nA,2024-01,100\nA,2024-02,100\nA,2024-04,100\nB,2024-04,50\n")
    data, check = load_data(R["revenue"], [p], ReadOptions())
    months_without_rows(data, check)
    return check


def _stripe_paused(d: Path) -> DataCheck:
    # Stripe subscriptions export: sub_2 paused when its trial ended without a payment method (engineer B2, R7 K9)
    p = _write(d, "stripe_paused.csv",
               "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start Date (UTC),"
               "Current Period Start (UTC),Current Period End (UTC),Trial End (UTC)\n"
               "sub_1,cus_A,basic,1,usd,month,100.00,active,2024-01-05,2024-06-05,2024-07-05,\n"
               "sub_2,cus_B,pro,2,usd,month,150.00,paused,2024-01-10,2024-03-10,2024-04-10,2024-03-10\n")
    return _load("revenue", [p])


def _sheets_unread(d: Path) -> DataCheck:
    # a workbook with a data sheet and a notes sheet (engineer W, session 6: reviewer's K7)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "MRR"
    wb.active.append(["Customer ID", "Month", "MRR"])
    wb.active.append(["A", "2024-06", 100])
    notes = wb.create_sheet("Notes")
    notes.append(["Author", "Comment"])
    notes.append(["Sara", "checked"])
    x = d / "book.xlsx"
    wb.save(x)
    check = DataCheck()
    match([T.SUBSCRIPTIONS], {x: read_file(x, check)}, ReadOptions(), check)
    return check


def _template_rows(d: Path) -> DataCheck:
    # reviewer's L1 (session 6): rows typed into a template's EmployeeSurvey sheet, the report filled from --data
    from openpyxl import load_workbook

    from xl_cskpi.cli import template_rows_unread
    from xl_cskpi.reports.builder import build

    t = d / "survey.xlsx"
    build(R["survey_scores"], t)
    wb = load_workbook(t)
    ws = next(w for w in wb.worksheets if "EmployeeSurvey" in w.tables)
    ws.cell(2, 1, "2024-03-01")
    ws.cell(2, 2, 9)
    wb.save(t)
    check = DataCheck()
    template_rows_unread(t, R["survey_scores"], check)
    return check


def _campaign_subtotals(d: Path) -> DataCheck:
    # reviewer's L4 (/tmp/r8/in/campaigns_sub.csv): Excel Data > Subtotal rows and a Grand Total (left out);
    # the same without the Grand Total; and with Social Total's conversions 11 for 6 + 4 (all kept)
    text = ("Channel,Campaign,Sessions,Direct visits,Pageviews,Leads,Opportunities,Conversions,Referred leads,"
            "Invites converted,Carts,Orders,Cost,Revenue\n"
            "Paid search,Brand,2000,500,5000,40,15,10,2,1,100,30,3000,7000\n"
            "Paid search,Generic,1500,300,4000,30,10,5,1,0,80,20,2500,4000\n"
            "Paid search Total,,3500,800,9000,70,25,15,3,1,180,50,5500,11000\n"
            "Social,Spring promo,1200,200,3000,25,10,6,4,2,60,15,1500,3000\n"
            "Social,Influencer,800,100,2500,20,8,4,2,1,50,10,1000,2500\n"
            "Social Total,,2000,300,5500,45,18,10,6,3,110,25,2500,5500\n")
    grand = "Grand Total,,5500,1100,14500,115,43,25,9,4,290,75,8000,16500\n"
    check = _load("funnel", [_write(d, "sub.csv", text + grand)])
    check.extend(_load("funnel", [_write(d, "sub_only.csv", text)]))
    check.extend(_load("funnel", [_write(d, "sub_bad.csv", (text + grand).replace(",10,6,3,", ",11,6,3,"))]))
    variants = {f.fields.get("variant") for f in check if f.code in ("total_row", "total_row_kept")}
    assert variants >= {"subtotals", "subtotals_total"}, variants
    return check


def _stripe_paused_paid(d: Path) -> DataCheck:
    # Stripe subscriptions export: sub_2 paid after its trial, paused, current period ended before the export
    # (engineer B2, R8 L6)
    p = _write(d, "stripe_paused_paid.csv",
               "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start Date (UTC),"
               "Current Period Start (UTC),Current Period End (UTC),Trial End (UTC)\n"
               "sub_1,cus_A,basic,1,usd,month,100.00,active,2024-01-05,2024-06-05,2024-07-05,\n"
               "sub_2,cus_B,pro,2,usd,month,150.00,paused,2024-01-10,2024-04-10,2024-05-10,2024-02-10\n")
    return _load("revenue", [p])


def _ids_folded(d: Path) -> DataCheck:
    # reviewer's G38: one customer id typed on two keyboards
    p = _write(d, "mrr.csv", "customer_id,month,mrr\nC۱,2024-01-01,100\nC1,2024-02-01,100\n")
    return _load("revenue", [p])


def _momayyez(d: Path) -> DataCheck:
    # reviewer's G28: tomans with the momayyez ٫ between thousands (49,000 tomans)
    p = _write(d, "fa_momayyez.csv", "customer_id,month,mrr\nC1,1403-01,۴۹٫۰۰۰ تومان\nC2,1403-01,۱۲۰٫۰۰۰ تومان\n")
    return _load("revenue", [p], lang="fa")


def _score_percent(d: Path) -> DataCheck:
    # reviewer's G17: a 0-100 usage score written 85%
    p = _write(d, "health.csv", "customer_id,usage,support,nps,payment\nA,85%,90,70,100\nB,40%,60,50,80\n"
               "C,10%,20,10,20\n")
    return _load("customer_health", [p])


def _tickets_left_out(d: Path) -> DataCheck:
    # reviewer's G35: a Zendesk ticket closed by merge, and a deleted one
    p = _write(d, "zd.csv", "Id,Requester id,Created at,Solved at,Status,Tags\n"
                            "1,r1,2024-06-03 09:00,2024-06-04 09:00,Closed,billing\n"
                            "2,r1,2024-06-03 09:05,2024-06-03 09:06,Closed,closed_by_merge\n"
                            "3,r2,2024-06-05 10:00,,Deleted,\n")
    return _load("support_complaints", [p])


def _csat_labels(d: Path) -> DataCheck:
    # reviewer's G14: SurveyMonkey's satisfaction answers as words, read on 1-5 (E, session 5)
    rows = [(9, "Very satisfied"), (3, "Dissatisfied"), (10, "Satisfied"), (7, "Neither satisfied nor dissatisfied"),
            (0, "Very dissatisfied")]
    text = ("Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,"
            "Custom Data 1,How likely is it that you would recommend Acme to a friend or colleague?,"
            "Overall how satisfied are you with Acme?\n,,,,,,,,,Response,Response\n"
            + "".join(f"11430{i},431001,06/0{i}/2024 08:01:00 AM,06/0{i}/2024 08:03:10 AM,203.0.113.5,,,,,{n},{w}\n"
                      for i, (n, w) in enumerate(rows, 1)))
    return _load("survey_scores", [_write(d, "surveymonkey.csv", text)], date_order="mdy")


def _customer_list(d: Path) -> DataCheck:
    # a CRM customer list alone: the churn report derives its monthly counts from it (U8)
    p = _write(d, "crm.csv", "customer_id,start_date,end_date\nc1,2024-01-05,2024-03-10\nc2,2024-02-01,\n")
    return _load("churn_retention", [p])


def _customer_list_backwards(d: Path) -> DataCheck:
    p = _write(d, "crm.csv", "customer_id,start_date,end_date\nc1,2024-03-10,2024-03-01\nc2,2024-02-01,\n")
    return _load("churn_retention", [p])


def _stripe_folder(d: Path) -> DataCheck:
    # a Stripe-like subscriptions export with a trial, an incomplete, a free and an unpaid row, in a
    # folder with an unrelated file (Stripe's "Subscriptions" export columns: docs.stripe.com)
    folder = d / "stripe"
    folder.mkdir()
    _write(folder, "subscriptions.csv",
           "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start Date (UTC),Trial End (UTC),"
           "Canceled At (UTC),Cancel At Period End,Ended At (UTC)\n"
           "sub_1,cus_A,basic,1,usd,month,49.00,active,2024-01-03,,,false,\n"
           "sub_2,cus_B,pro,1,usd,month,99.00,active,2024-02-10,,,false,\n"
           "sub_3,cus_C,basic,1,usd,month,49.00,trialing,2024-05-20,2024-06-20,,false,\n"
           "sub_4,cus_D,basic,1,usd,month,49.00,incomplete,2024-04-02,,,false,\n"
           "sub_5,cus_E,free,1,usd,month,0.00,active,2024-03-01,,,false,\n"
           "sub_6,cus_F,basic,1,usd,month,49.00,unpaid,2024-02-01,,,false,\n")
    _write(folder, "team_lunch.csv", "restaurant,people,rating\nSaffron,6,excellent\n")
    return _load("revenue", [folder])


def _paddle(d: Path) -> DataCheck:
    return _load("revenue", [DATA / "paddle_subscriptions.csv"])


def _zendesk(d: Path) -> DataCheck:
    return _load("support_complaints", [DATA / "zendesk_tickets.csv"])


def _complaints(d: Path) -> DataCheck:
    return _load("support_complaints", [DATA / "crm_complaints_en.csv", DATA / "freshdesk_tickets.csv"])


def _churn_from_billing(d: Path) -> DataCheck:
    return _load("churn_retention", [DATA / "stripe_subscriptions.csv"])


def _billing_unused(d: Path) -> DataCheck:
    # the revenue report's Subscriptions and Accounts given directly: the billing export adds nothing
    from xl_cskpi import sample

    paths = sample.write_csv(sample.generate(), d / "sample")
    return _load("revenue", [paths["subscriptions"], paths["accounts"], DATA / "stripe_subscriptions.csv"])


def _hijri_months(d: Path) -> DataCheck:
    # Shawwal 1443 holds no 1st of a Gregorian month (see test_pipeline: hijridate)
    days = pd.date_range("2022-01-01", "2024-12-01", freq="MS")
    p = _write(d, "subscriptions.csv", "customer_id,month,mrr\n" + "".join(f"C1,{x:%Y-%m-%d},100\n" for x in days))
    return _load("revenue", [p], lang="ar")


def _jalali_relabelled(d: Path) -> DataCheck:
    # every Jalali month holds one Gregorian 1st (1 December 2024 is 11 Azar 1403, jdatetime), so
    # Gregorian months line up one to one, each shown under the Jalali month holding its 1st
    days = pd.date_range("2024-01-01", "2024-12-01", freq="MS")
    p = _write(d, "subscriptions.csv", "customer_id,month,mrr\n" + "".join(f"C1,{x:%Y-%m-%d},100\n" for x in days))
    return _load("revenue", [p], lang="fa")


def _survey_scales(d: Path) -> DataCheck:
    # a 1-3 CSAT survey with csat_scale blank, a CES column that never passes 5 on ces_scale 7, a 1-5 rating in
    # the NPS column; then csat_scale 5 on answers up to 3, ces_scale 5 on answers up to 7
    from xl_cskpi.reports.builder import build

    rows = "".join(f"2024-03-{i + 1:02d},{i % 5 + 1},{i % 3 + 1},{i % 5 + 1}\n" for i in range(12))
    p = _write(d, "responses.csv", "submitted_at,nps_score,csat_score,ces_score\n" + rows)
    data, check = load_data(R["survey_scores"], [p], ReadOptions())
    build(R["survey_scores"], d / "s.xlsx", data=data, values=True, check=check)
    build(R["survey_scores"], d / "t.xlsx", data=data, values=True, check=check,
          settings={"csat_scale": 5, "ces_scale": 4})
    return check


def _health_nps_0_10(d: Path) -> DataCheck:
    # a CRM's "NPS score" (the last 0-10 answer) read as the 0-100 health component (reviewer's F10)
    from xl_cskpi.reports.builder import build

    p = _write(d, "health.csv", "Account,Usage score,Support score,NPS score,Payment score\n"
               "ACME,85,90,9,100\nGlobex,60,70,10,100\nInitech,30,40,3,60\nUmbrella,75,80,7,100\n")
    data, check = load_data(R["customer_health"], [p], ReadOptions())
    build(R["customer_health"], d / "h.xlsx", data=data, values=True, check=check)
    return check


def _paddle_transactions(d: Path) -> DataCheck:
    # Paddle transactions: an annual line, a proration, draft/ready, a canceled line, a one-off purchase
    return _load("revenue", [DATA / "paddle_transactions_changes.csv"])


def _months_disagree(d: Path) -> DataCheck:
    # reviewer's U11: February 105 + 12 - 8 = 109 but customers_end 120; March starts at 109
    from xl_cskpi.reports.builder import build

    p = _write(d, "months.csv", "month,customers_start,customers_new,customers_lost,customers_end\n"
               "2024-01-01,100,10,5,105\n2024-02-01,105,12,8,120\n2024-03-01,109,9,4,114\n")
    data, check = load_data(R["churn_retention"], [p], ReadOptions())
    build(R["churn_retention"], d / "c.xlsx", data=data, values=True, check=check)
    return check


def _tickets_twice(d: Path) -> DataCheck:
    # reviewer's F14: a ticket in two pasted snapshots (open, then solved)
    from xl_cskpi.reports.builder import build

    p = _write(d, "tickets.csv", "ticket_id,opened_at,resolved_at,status\n"
               "T1,2024-06-01 09:00,2024-06-01 12:00,solved\nT2,2024-06-02 09:00,,open\n"
               "T1,2024-06-01 09:00,,open\n")
    data, check = load_data(R["support_complaints"], [p], ReadOptions())
    build(R["support_complaints"], d / "s.xlsx", data=data, values=True, check=check)
    return check


_TZ_TICKETS = ("ticket_id,opened_at,resolved_at,status\n"
               "t1,2024-03-09T22:00:00-08:00,2024-03-10T22:00:00-07:00,solved\n"
               "t2,2024-04-03T09:00:00Z,2024-04-03 15:00,solved\n")


def _timezone_option(d: Path) -> DataCheck:
    # tickets with offsets across the US DST start (2024-03-10) and one time without an offset, read with
    # --timezone America/Los_Angeles while the English report's working hours (western) are in UTC
    # (a Persian report: the iran schedule's Asia/Tehran is not the zone given)
    return _load("support_complaints", [_write(d, "tickets.csv", _TZ_TICKETS)], timezone="America/Los_Angeles",
                 lang="fa")


def _timezone_schedule(d: Path) -> DataCheck:
    # the same tickets in a Persian report: converted to the iran schedule's Asia/Tehran
    return _load("support_complaints", [_write(d, "tickets.csv", _TZ_TICKETS)], lang="fa")


def _timezone_kept(d: Path) -> DataCheck:
    # a survey export (no working hours) whose times all carry +03:30: read as written
    return _load("survey_scores", [_write(d, "responses.csv", "submitted_at,nps_score\n"
                                   "2024-04-01T01:00:00+03:30,9\n2024-04-01T10:00:00+03:30,7\n")])


def _timezone_mixed(d: Path) -> DataCheck:
    # +03:30 and Z in one export, no zone to go by: UTC with a warning
    return _load("survey_scores", [_write(d, "responses.csv", "submitted_at,nps_score\n"
                                   "2024-04-01T01:00:00+03:30,9\n2024-04-01T10:00:00Z,7\n")])


def _stripe_quarterly(d: Path) -> DataCheck:
    # a Stripe export without Interval Count: a quarterly price written as Interval month (R F18)
    p = _write(d, "stripe_q.csv", "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start Date (UTC),"
               "Current Period Start (UTC),Current Period End (UTC)\n"
               "sub_q,cus_Q,team_q,1,usd,month,270.00,active,2024-03-20,2024-06-20,2024-09-20\n"
               "sub_m,cus_M,basic,1,usd,month,90.00,active,2024-03-02,2024-06-02,2024-07-02\n")
    return _load("revenue", [p])


def _generic_invoices(d: Path) -> DataCheck:
    # a generic invoice export (invoice date, period start/end) without an interval column
    p = _write(d, "invoices.csv", "customer_id,invoice_date,start,end,amount\n"
               "acme,2024-02-01,2024-02-01,2025-02-01,480\nbolt,2024-03-05,2024-03-05,2024-04-05,30\n")
    return _load("revenue", [p])


def _campaign_totals(d: Path) -> DataCheck:
    # reviewer's F15: a campaign export ending with its Total row (left out), and an Accounts export
    # with a row named Total whose numbers are not the sums (kept, with a warning)
    head = ("Campaign,Channel,Sessions,Direct sessions,Page views,Leads,Opportunities,New customers,Referrals,"
            "Invites accepted,Carts,Orders,Spend,Attributed revenue\n")
    c = _write(d, "campaigns.csv", head + "A,email,100,0,300,10,4,2,0,0,5,2,50,100\nB,email,300,0,900,20,6,3,0,0,9,4,70,200\n"
               "Total,,400,0,1200,30,10,5,0,0,14,6,120,300\n")
    a = _write(d, "accounts.csv", "customer_id,previous_mrr,current_mrr\nc1,100,120\nc2,50,60\nTotal,10,10\n")
    check = _load("funnel", [c])
    check.extend(_load("revenue", [a]))
    return check


def _two_sources(d: Path) -> DataCheck:
    # reviewer's F17: a Stripe export and a customer-month file of other customers in one run
    subs = _write(d, "subs.csv", "customer_id,month,mrr\nX,2024-04-01,100\nX,2024-05-01,100\nY,2024-05-01,50\n")
    return _load("revenue", [DATA / "stripe_subscriptions.csv", subs])


def _scale_from_header(d: Path) -> DataCheck:
    # tests/data/exports/typeform_nps.csv: "How satisfied are you with our support? (1-5)" gives csat_scale 5
    from xl_cskpi.cli import _scales_from_headers

    data, check = load_data(R["survey_scores"], [DATA / "typeform_nps.csv"], ReadOptions())
    assert _scales_from_headers(R["survey_scores"], data, {}, check)["csat_scale"] == 5
    return check


def _reopened(d: Path) -> DataCheck:
    # reviewer's F9: an Intercom-like export keeps the last close time of a conversation open again
    p = _write(d, "tickets.csv", "ticket_id,opened_at,resolved_at,status\n"
               "c1,2024-06-03 09:00,2024-06-03 11:00,closed\nc2,2024-06-03 09:00,2024-06-03 10:00,open\n"
               "c3,2024-06-03 09:00,,closed\n")   # and reviewer's H3 (session 6): closed without a time
    return _load("support_complaints", [p])


def _shared_month(d: Path) -> list[Finding]:
    # the builder's month findings: 1 Feb and 1 Mar 2014 both fall in Rabi' II 1435 (hijridate:
    # 1435-04-01 = 2014-01-31, 1435-05-01 = 2014-03-02), so a Gregorian monthly Finance table read
    # in the Hijri calendar has two rows in that month
    months = pd.date_range("2014-01-01", "2014-06-01", freq="MS")
    finance = pd.DataFrame({"month": months, "customers_start": 100.0, "customers_new": 5.0,
                            "customers_lost": 3.0, "revenue": 1000.0})
    return datacheck.month_findings(reports()["unit_economics"], {"Finance": finance}, "hijri")


def _two_currencies(d: Path) -> DataCheck:
    # customer-month MRR in EUR and USD with EUR->USD rates: converted (info), and the bridge of
    # MRR_MOVEMENTS counts rate moves as expansion/contraction (warning; MRR_MOVEMENTS_FX separates them)
    subs = _write(d, "subscriptions.csv", "customer_id,month,mrr,currency\n"
                  "C1,2024-01-01,100,EUR\nC1,2024-02-01,100,EUR\nC2,2024-01-01,50,USD\nC2,2024-02-01,50,USD\n")
    rates = _write(d, "rates.csv", "date,currency,rate\n2024-01-31,EUR,1.10\n2024-02-29,EUR,1.05\n")
    return _load("revenue", [subs, rates])


def _stale_funnel_template(d: Path) -> DataCheck:
    # a funnel template made before its two counts became blank still holds 350 / 400
    from xl_cskpi.cli import stale_template_settings

    check = DataCheck()
    stale_template_settings("funnel", {"customers_start": 350, "active_customer_count": 400, "target_conversion": 0.1},
                            d / "funnel.xlsx", check)
    return check


def _table_ends_before_period(d: Path) -> list[Finding]:
    # Finance ends in August while the month shown is September: its KPIs are n/a for that month
    finance = pd.DataFrame({"month": pd.to_datetime(["2024-07-01", "2024-08-01"]), "customers_start": 100.0,
                            "customers_new": 5.0, "customers_lost": 3.0, "revenue": 1000.0})
    return datacheck.month_findings(reports()["unit_economics"], {"Finance": finance}, "gregorian", "2024-09")


def _surveymonkey(d: Path) -> DataCheck:
    return _load("survey_scores", [DATA / "surveymonkey_nps.csv"])


#: scenario -> (how to produce its findings, the codes (or code.variant) it must produce)
SCENARIOS = {
    "read_cells": (_read_cells, {"control_characters", "cell_too_long"}),
    "read_cp1256": (_read_cp1256, {"encoding"}),
    "read_xlsx": (_read_xlsx, {"sheet_chosen", "error_cells"}),
    "paths": (_paths, {"folder", "path_skipped"}),
    "mapping": (_mapping, {"files_combined", "file_skipped", "profile_detected", "column_ignored"}),
    "mapping_other_kind": (_mapping_other_kind, {"file_other_table"}),
    "mapping_cents": (_mapping_cents, {"amounts_cents", "profile_detected"}),
    "mapping_two_csat": (_mapping_two_csat, {"column_undecided"}),
    "mapping_map": (_mapping_map, {"column_mapped"}),
    "mapping_two_spellings": (_mapping_two_spellings, {"column_duplicate_field"}),
    "survey": (_survey, {"rows_read", "duplicate_rows", "out_of_range.above", "column_ignored", "table_absent",
                         "kpi_error", "kpi_absent"}),
    "negative_mrr": (_negative_mrr, {"out_of_range.below"}),
    "tickets_order": (_tickets_order, {"out_of_range.order"}),
    "customer_list": (_customer_list, {"months_from_customers"}),
    "csat_labels": (_csat_labels, {"csat_labels", "header_row_skipped"}),
    "tickets_left_out": (_tickets_left_out, {"tickets_left_out"}),
    "momayyez": (_momayyez, {"arabic_thousands"}),
    "score_percent": (_score_percent, {"percent_points"}),
    "ids_folded": (_ids_folded, {"ids_folded"}),
    "sla_as_of": (_sla_as_of, {"sla_as_of_from_data"}),
    "month_without_rows": (_month_without_rows, {"month_without_rows"}),
    "stripe_paused_paid": (_stripe_paused_paid, {"subscription_paused_at_period_end", "profile_detected"}),
    "campaign_subtotals": (_campaign_subtotals, {"total_row", "total_row_kept"}),
    "template_rows": (_template_rows, {"template_rows_unread"}),
    "sheets_unread": (_sheets_unread, {"sheets_unread"}),
    "stripe_paused": (_stripe_paused, {"subscription_paused_at_trial_end", "profile_detected"}),
    "score_answers": (_score_answers, {"score_labels", "score_non_answers"}),
    "customers_as_of": (_customers_as_of, {"customers_as_of_from_data", "customer_ends_after_today",
                                           "ends_on_anniversary", "renewal_next_day"}),
    "nps_header_scale": (_nps_header_scale, {"nps_header_scale"}),
    "read_text_shapes": (_read_text_shapes, {"sep_hint", "title_lines", "header_repeated", "qualtrics_header",
                                             "line_ends_cr", "trailing_cells", "footer_lines"}),
    "read_zip_sheets_unix": (_read_zip_sheets_unix, {"archive_read", "sheet_next", "unix_time"}),
    "newest_row": (_newest_row, {"files_combined", "newest_row"}),
    "qualtrics_rows": (_qualtrics_rows, {"survey_rows_left_out", "survey_unfinished", "qualtrics_header"}),
    "hidden_rows": (_hidden_rows, {"hidden_rows"}),
    "recurly_cents": (_recurly_cents, {"amount_in_cents", "end_scheduled", "profile_detected"}),
    "chargebee_items": (_chargebee_items, {"billing_one_time", "subscription_paused", "vendor_mrr_differs"}),
    "stripe_coupons": (_stripe_coupons, {"coupon_applied", "coupon_not_applied", "plan_changed"}),
    "billing_no_interval": (_billing_no_interval, {"interval_absent"}),
    "ces_readings": (_ces_readings, {"ces_question_from_header", "ces_effort", "ces_easy", "ces_unknown",
                                     "ces_easy_default", "ces_header_disagrees", "ces_target_off_scale"}),
    "customer_list_backwards": (_customer_list_backwards, {"months_not_derived"}),
    "stripe_folder": (_stripe_folder, {"folder", "file_skipped", "profile_detected", "subscription_trial",
                                       "subscription_never_paid", "subscription_zero", "subscription_stopped",
                                       "tables_derived", "accounts_compare"}),
    "paddle": (_paddle, {"coalesced", "minor_units"}),
    "zendesk": (_zendesk, {"derived_column"}),
    "complaints": (_complaints, {"status_unmapped"}),
    "churn_from_billing": (_churn_from_billing, {"columns_blank"}),
    "billing_unused": (_billing_unused, {"file_unused"}),
    "hijri_months": (_hijri_months, {"month_calendar"}),
    "surveymonkey": (_surveymonkey, {"header_row_skipped"}),
    "shared_month": (_shared_month, {"shared_month"}),
    "jalali_relabelled": (_jalali_relabelled, {"month_relabelled"}),
    "health_nps_0_10": (_health_nps_0_10, {"score_range"}),
    "months_disagree": (_months_disagree, {"counts_disagree"}),
    "tickets_twice": (_tickets_twice, {"id_repeated"}),
    "timezone_option": (_timezone_option, {"timezone_converted", "timezone_naive", "timezone_not_schedule",
                                           "timezone_dst"}),
    "timezone_schedule": (_timezone_schedule, {"timezone_of_schedule", "timezone_naive"}),
    "timezone_kept": (_timezone_kept, {"timezone_kept"}),
    "timezone_mixed": (_timezone_mixed, {"timezone_mixed"}),
    "stripe_quarterly": (_stripe_quarterly, {"interval_from_period", "profile_detected"}),
    "generic_invoices": (_generic_invoices, {"interval_assumed_month"}),
    "campaign_totals": (_campaign_totals, {"total_row", "total_row_kept"}),
    "two_sources": (_two_sources, {"two_sources"}),
    "scale_from_header": (_scale_from_header, {"scale_from_header"}),
    "reopened": (_reopened, {"resolved_while_open", "solved_without_time"}),
    "paddle_transactions": (_paddle_transactions, {"invoice_lines", "invoice_unbilled", "invoice_canceled",
                                                   "invoice_one_time", "invoice_prorations", "profile_detected"}),
    "survey_scales": (_survey_scales, {"scale_unset", "scale_short", "scale_exceeded", "nps_scale_short"}),
    "two_currencies": (_two_currencies, {"currency_converted", "fx_in_bridge"}),
    "stale_funnel_template": (_stale_funnel_template, {"template_defaults"}),
    "table_ends_before_period": (_table_ends_before_period, {"table_ends_before_period"}),
}

#: Codes the package can emit that no scenario above reaches, with the reason (none today).
UNREACHED: dict[str, str] = {}


def _variant(f: Finding) -> str:
    return datacheck._key(f).removeprefix("check.")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, list[Finding] | Exception]:
    """Each scenario's findings (or the exception it raised: its own test re-raises it, and the
    coverage test below then misses its codes)."""
    out: dict[str, list[Finding] | Exception] = {}
    for name, (make, _) in SCENARIOS.items():
        try:
            out[name] = list(make(tmp_path_factory.mktemp(name)))
        except Exception as e:  # noqa: BLE001 -- reported by test_each_scenario_produces_its_findings
            out[name] = e
    return out


@pytest.fixture(scope="module")
def findings(runs) -> dict[str, list[Finding]]:
    return {k: v for k, v in runs.items() if not isinstance(v, Exception)}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_each_scenario_produces_its_findings(runs, name):
    if isinstance(runs[name], Exception):
        raise runs[name]
    got = {_variant(f) for f in runs[name]} | {f.code for f in runs[name]}
    assert sorted(SCENARIOS[name][1] - got) == [], f"{name}: got {sorted(got)}"


def test_the_scenarios_reach_every_emitted_code(findings):
    reached = {f.code for fs in findings.values() for f in fs}
    assert sorted(emitted_codes() - reached - set(UNREACHED)) == []
    variants = {_variant(f) for fs in findings.values() for f in fs if f.code in VARIANTS}
    assert variants == {f"{c}.{v}" for c, vs in VARIANTS.items() for v in vs}


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_every_real_finding_reads_in_the_language(findings, lang):
    t = i18n.translator(lang)
    table = LANGS[lang]
    bad = []
    n = 0
    for name, fs in findings.items():
        for f in fs:
            n += 1
            key = datacheck._key(f)
            text = datacheck.finding_text(f, t, lang)
            problems = []
            if not table.get(key):
                problems.append(f"no {lang} sentence for {key}")
            if text == f.message:
                problems.append("falls back to the English message")
            if "{" in text or "}" in text:
                problems.append("unformatted field")
            if "['" in text or "[]" in text:
                problems.append("a Python list")
            if not re.search("[\u0600-\u06FF]", text):
                problems.append("no Persian/Arabic word")
            if problems:
                bad.append((name, f.code, problems, text))
    assert n >= 60, f"only {n} findings: did a scenario stop producing them?"
    assert bad == []


def test_the_data_check_sheet_of_a_persian_report_holds_no_english_finding(tmp_path):
    # end to end: the workbook's Data check sheet, every finding line in Persian
    from xl_cskpi.reports.builder import build

    data, check = load_data(R["revenue"], [DATA / "stripe_subscriptions.csv"], ReadOptions(lang="fa"))
    out = tmp_path / "r.xlsx"
    build(R["revenue"], out, lang="fa", data=data, values=True, check=check)
    t = i18n.translator("fa")
    ws = openpyxl.load_workbook(out)[t("sheet.data_check")]
    lines = [ws.cell(r, 6).value for r in range(5, ws.max_row + 1) if ws.cell(r, 6).value]
    assert len(lines) == len(check) >= 5
    for line, f in zip(lines, check):
        assert line != f.message and re.search("[\u0600-\u06FF]", line), line
