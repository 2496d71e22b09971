"""Persian and Arabic report workbooks (issue 6): translations, right-to-left sheets, same KPI values.

* The translation tables (:mod:`xl_cskpi.reports.lang_fa`, :mod:`xl_cskpi.reports.lang_ar`) have every
  English key, the same ``{placeholders}``, text in the right script (Persian ی ک and ZWNJ; Arabic ي ك)
  and no untranslated English.
* Every fa/ar template: valid sheet names, the right-to-left flag on every sheet, the language's font.
* Every report in every language computes the same KPI values (Python evaluation), and the ``formulas``
  engine computes the fa/ar workbooks' live formulas to those values.
* Exports in Persian/Arabic: Persian and Arabic-Indic digits and separators, translated headers,
  Windows-1256 CSV files.
"""

from __future__ import annotations

import math
import re
import string

import pandas as pd
import pytest
from openpyxl import load_workbook

from xl_cskpi import sample
from xl_cskpi.errors import KPIError
from xl_cskpi.reports import ORDER, i18n, lang_ar, lang_fa, reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

REPORTS = reports()
MODULES = {"fa": lang_fa, "ar": lang_ar}
LANGS = ("fa", "ar")

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
# letters that differ between the two languages
ARABIC_YEH_KAF = re.compile("[\u064a\u0643]")        # ي ك
PERSIAN_YEH_KAF = re.compile("[\u06cc\u06a9]")       # ی ک
ZWNJ = "\u200c"
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@pytest.fixture(autouse=True)
def _languages(monkeypatch):
    """The fa/ar tables as i18n would load them (no-op once i18n loads them itself)."""
    _wire(monkeypatch)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _table_keys() -> set[str]:
    """``sheet.<Table>`` and ``col.<Table>.<column>`` of every data table the reports use."""
    keys = set()
    for r in REPORTS.values():
        for tb in r.tables:
            keys.add(f"sheet.{tb.name}")
            keys |= {f"col.{tb.name}.{c.key}" for c in tb.columns}
    return keys


# --------------------------------------------------------------------------- the tables themselves

@pytest.mark.parametrize("lang", LANGS)
def test_every_english_key_is_translated(lang):
    en, table = i18n.STRINGS["en"], MODULES[lang].STRINGS
    assert sorted(set(en) - set(table)) == []
    # extra keys only name real sheets and columns (a typo would silently fall back to English)
    assert sorted(set(table) - set(en) - _table_keys()) == []
    for key, text in table.items():
        assert isinstance(text, str) and text.strip(), key
        assert text != en.get(key), f"{lang} {key} is the English text"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_the_english_ones(lang):
    en = i18n.STRINGS["en"]
    for key, text in MODULES[lang].STRINGS.items():
        if key in en:
            assert _fields(text) == _fields(en[key]), key
    # and every text formats with the fields the builder passes
    t = i18n.translator(lang)
    assert "{" not in t("instructions.1", sheets="x", report="y") + t("instructions.generated", version="1")


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_is_in_the_language_script(lang):
    # no Latin-only value: acronyms (NPS, MRR, SLA) and commands appear only next to translated words
    for key, text in MODULES[lang].STRINGS.items():
        assert ARABIC_SCRIPT.search(text), f"{lang} {key} has no Persian/Arabic text: {text!r}"


def test_persian_uses_persian_letters_and_zwnj():
    for key, text in lang_fa.STRINGS.items():
        assert not ARABIC_YEH_KAF.search(text), f"fa {key}: Arabic yeh/kaf in {text!r}"
        # plural and verb prefixes are joined with a ZWNJ, never a space (مشتری‌ها, می‌شود)
        assert not re.search(r"(?<=[\u0600-\u06FF]) (ها|های|هایی)(?![\u0600-\u06FF])", text), key
        assert not re.search(r"(?<![\u0600-\u06FF])(می|نمی) (?=[\u0600-\u06FF])", text), key
    # sample terms readers know, spelled as they expect
    assert lang_fa.STRINGS["kpi.churn_rate"].startswith("نرخ ریزش مشتری")
    assert lang_fa.STRINGS["kpi.nps"] == "امتیاز خالص ترویج" + ZWNJ + "کنندگان (NPS)"
    assert lang_fa.STRINGS["kpi.ltv"].startswith("ارزش طول عمر مشتری")
    assert lang_fa.STRINGS["status.watch"] == "نیازمند توجه"


def test_arabic_uses_arabic_letters():
    for key, text in lang_ar.STRINGS.items():
        assert not PERSIAN_YEH_KAF.search(text), f"ar {key}: Persian yeh/keheh in {text!r}"
        assert ZWNJ not in text, key
    assert lang_ar.STRINGS["kpi.retention_rate"].startswith("معدل الاحتفاظ بالعملاء")
    assert lang_ar.STRINGS["kpi.nps"].startswith("صافي نقاط الترويج")
    assert lang_ar.STRINGS["kpi.ltv"].startswith("قيمة عمر العميل")


@pytest.mark.parametrize("lang", LANGS)
def test_translated_sheet_names_and_headers_are_valid(lang):
    table = MODULES[lang].STRINGS
    names = {k: v for k, v in table.items() if k.startswith("sheet.")}
    for key, name in names.items():
        assert len(name) <= 31 and not SHEET_FORBIDDEN.search(name), (key, name)
        assert name.strip() == name and not name.startswith("'") and not name.endswith("'"), (key, name)
    # within one workbook every sheet has its own name, every table column its own header
    for r in REPORTS.values():
        t = i18n.translator(lang)
        titles = [t("sheet.instructions"), t("sheet.dashboard"), t("sheet.settings")]
        titles += [t(f"sheet.{sp.key}") for sp in r.spills] + [t(f"sheet.{tb.name}") for tb in r.tables]
        assert len({s.casefold() for s in titles}) == len(titles), (r.key, titles)
        for tb in r.tables:
            headers = [t(f"col.{tb.name}.{c.key}") for c in tb.columns]
            assert len(set(headers)) == len(headers), (tb.name, headers)
            # structured references escape these; better never to need it
            assert not any(re.search(r"['#\[\]]", h) for h in headers), headers


@pytest.mark.parametrize("lang", LANGS)
def test_number_formats_override_english_kinds_only(lang):
    mod = MODULES[lang]
    en = i18n.NUMBER_FORMATS["en"]
    assert set(mod.NUMBER_FORMATS) <= set(en)
    fmt = i18n.NUMBER_FORMATS[lang]
    assert set(fmt) >= set(en)
    assert ARABIC_SCRIPT.search(fmt["money"]) and fmt["money"] in mod.MONEY_FORMATS.values()
    for kind in ("months", "days", "hours"):
        assert ARABIC_SCRIPT.search(fmt[kind]), kind
    # unit text is quoted, so the formats stay valid in Excel and LibreOffice
    for kind, f in mod.NUMBER_FORMATS.items():
        unquoted = re.sub(r'"[^"]*"', "", f)
        assert not ARABIC_SCRIPT.search(unquoted), (kind, f)


# --------------------------------------------------------------------------- the workbooks

def _wire(mp: pytest.MonkeyPatch) -> None:
    for lang, mod in MODULES.items():
        if lang not in i18n.STRINGS:
            mp.setitem(i18n.STRINGS, lang, mod.STRINGS)
        if lang not in i18n.NUMBER_FORMATS:
            mp.setitem(i18n.NUMBER_FORMATS, lang, {**i18n.NUMBER_FORMATS["en"], **mod.NUMBER_FORMATS})


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Every template in fa and ar, built once."""
    d = tmp_path_factory.mktemp("templates")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        _wire(mp)
        for lang in LANGS:
            for key in ORDER:
                out[key, lang] = d / f"{key}.{lang}.xlsx"
                build(REPORTS[key], out[key, lang], lang=lang)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", ORDER)
def test_every_sheet_is_right_to_left_with_valid_names(templates, key, lang):
    wb = load_workbook(templates[key, lang])
    t = i18n.translator(lang)
    assert wb.sheetnames[:2] == [t("sheet.instructions"), t("sheet.dashboard")]
    assert wb.sheetnames[-1] == t("sheet.settings")
    for ws in wb.worksheets:
        assert ws.sheet_view.rightToLeft is True, (key, lang, ws.title)
        assert len(ws.title) <= 31 and not SHEET_FORBIDDEN.search(ws.title), ws.title
        assert ARABIC_SCRIPT.search(ws.title), f"{key} {lang}: untranslated sheet {ws.title!r}"
    # the dashboard speaks the language: title, KPI labels, headers, the status texts in formulas
    dash = wb[t("sheet.dashboard")]
    assert dash["A1"].value == t(f"report.{key}.title")
    assert dash["A1"].font.name == i18n.FONTS[lang]
    for i, k in enumerate(REPORTS[key].kpis):
        assert dash.cell(5 + i, 1).value == t(f"kpi.{k.key}")
    statuses = [dash.cell(5 + i, 4).value for i, k in enumerate(REPORTS[key].kpis) if k.target]
    for f in statuses:
        assert t("status.on") in f and t("status.off") in f
    # data tables: translated headers that the table definitions and formulas use
    for tb in REPORTS[key].tables:
        ws = wb[t(f"sheet.{tb.name}")]
        assert [c.value for c in ws[1]] == [t(f"col.{tb.name}.{c.key}") for c in tb.columns]
        assert [c.name for c in ws.tables[tb.name].tableColumns] == [c.value for c in ws[1]]


def test_english_sheets_stay_left_to_right(tmp_path):
    build(REPORTS["overview"], tmp_path / "o.xlsx")
    wb = load_workbook(tmp_path / "o.xlsx")
    assert not any(ws.sheet_view.rightToLeft for ws in wb.worksheets)


# --------------------------------------------------------------------------- same KPI values

@pytest.fixture(scope="module")
def sample_csvs(tmp_path_factory):
    d = tmp_path_factory.mktemp("exports")
    exports = sample.generate()
    paths = sample.write_csv(exports, d)
    return {sample.EXPORTS[k]: p for k, p in paths.items()}, sample.demo_settings(exports)


def _close(a, b) -> bool:
    if isinstance(a, KPIError) or isinstance(b, KPIError):
        return type(a) is type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@pytest.mark.parametrize("key", ORDER)
def test_every_language_computes_the_same_kpis(key, sample_csvs, tmp_path):
    csvs, settings = sample_csvs
    r = REPORTS[key]
    files = [csvs[tb.name] for tb in r.tables]
    results = {}
    for lang in ("en", *LANGS):
        data = load_data(r, files, lang)
        results[lang] = build(r, tmp_path / f"{key}.{lang}.values.xlsx", lang=lang, data=data, values=True,
                              settings=settings)
    for k in r.kpis:
        en = results["en"][k.key]
        for lang in LANGS:
            assert _close(results[lang][k.key], en), (key, k.key, lang, results[lang][k.key], en)
    # and the --values workbooks show those numbers on the translated dashboard
    for lang in LANGS:
        wb = load_workbook(tmp_path / f"{key}.{lang}.values.xlsx")
        dash = wb[i18n.translator(lang)("sheet.dashboard")]
        for i, k in enumerate(r.kpis):
            want = results["en"][k.key]
            got = dash.cell(5 + i, 2).value
            assert (got == want.code) if isinstance(want, KPIError) else _close(got, want), (key, lang, k.key)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", ["overview", "revenue", "cohort_retention", "customer_health"])
def test_formulas_engine_computes_the_translated_workbook(key, lang, sample_csvs, tmp_path):
    """Translated headers in structured references, translated sheet names: the live formulas still
    compute the Python values in an engine we did not write."""
    from xl_cskpi.reports.engine import a1_copy, calculate

    csvs, settings = sample_csvs
    r = REPORTS[key]
    data = load_data(r, [csvs[tb.name] for tb in r.tables], lang)
    live = tmp_path / f"{key}.{lang}.xlsx"
    python = build(r, live, lang=lang, data=data, settings=settings)
    a1_copy(live, tmp_path / "a1.xlsx")
    engine = calculate(tmp_path / "a1.xlsx")
    dash = i18n.translator(lang)("sheet.dashboard").upper()
    for i, k in enumerate(r.kpis):
        got, want = engine[f"{dash}!B{5 + i}"], python[k.key]
        if isinstance(want, KPIError):
            assert str(got) == want.code, (k.key, got, want)
        else:
            assert _close(got, want), (k.key, got, want)


# --------------------------------------------------------------------------- Persian/Arabic exports

def test_persian_export_with_persian_digits_and_headers(tmp_path):
    # a Persian CRM summary: translated headers, Persian digits, Arabic thousands separator (٬)
    p = tmp_path / "ماه‌ها.csv"
    h = [lang_fa.STRINGS[f"col.Months.{c}"] for c in
         ("month", "customers_start", "customers_new", "customers_lost", "customers_end", "renewals_due", "renewals")]
    rows = [",".join(h),
            "2024-08-01,۱٬۰۰۰,۵۰,۶۴,۹۸۶,۱۲۰,۱۰۸",
            "2024-09-01,۹۸۶,۴۰,۳۰,۹۹۶,۱۰۰,۹۵"]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = load_data(REPORTS["churn_retention"], [p], "fa")
    m = data["Months"]
    assert m["customers_start"].tolist() == [1000.0, 986.0]
    values = build(REPORTS["churn_retention"], tmp_path / "c.xlsx", lang="fa", data=data, values=True)
    # 30 lost of 986 at the start of the latest month: 3.04 %; renewals 203 of 220 (hand calculation)
    assert math.isclose(values["churn_rate"], 30 / 986)
    assert math.isclose(values["renewal_rate"], 203 / 220)


def test_windows_1256_arabic_export(tmp_path):
    # older Arabic systems write CSV in Windows-1256 (Arabic letters; the code page has no
    # Arabic-Indic digits: those are shown by digit substitution, stored as 0-9)
    p = tmp_path / "accounts.csv"
    h = [lang_ar.STRINGS[f"col.Accounts.{c}"] for c in ("customer_id", "previous_mrr", "current_mrr")]
    text = ",".join(h) + "\nعميل أ,100.5,120\nعميل ب,200,150\nعميل ج,0,50\n"
    raw = text.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")     # really not UTF-8
    p.write_bytes(raw)
    r = REPORTS["revenue"]
    a = load_data(r.__class__("accounts_only", tables=(r.table("Accounts"),), kpis=()), [p], "ar")["Accounts"]
    assert a["customer_id"].tolist() == ["عميل أ", "عميل ب", "عميل ج"]
    assert a["previous_mrr"].tolist() == [100.5, 200.0, 0.0]
    assert a["current_mrr"].tolist() == [120.0, 150.0, 50.0]


def test_xlsx_export_with_persian_digit_text_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([lang_fa.STRINGS[f"col.Accounts.{c}"] for c in ("customer_id", "previous_mrr", "current_mrr")])
    ws.append(["C1", "۱۲٬۵۰۰", 13000])
    ws.append(["C2", 8000, "۷۵۰۰٫۵"])
    wb.save(tmp_path / "accounts.xlsx")
    r = REPORTS["revenue"]
    only = r.__class__("accounts_only", tables=(r.table("Accounts"),), kpis=())
    a = load_data(only, [tmp_path / "accounts.xlsx"], "fa")["Accounts"]
    assert a["previous_mrr"].tolist() == [12500.0, 8000.0]
    assert a["current_mrr"].tolist() == [13000.0, 7500.5]
    assert isinstance(pd.Series(a["customer_id"]).iloc[0], str)
