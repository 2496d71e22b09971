"""Which mark is the decimal one (F3 of session 4): ``1.200`` is 1.2 with a decimal point, or 1,200
with a dot between thousands, as German, Dutch, Italian and Turkish tools write it. The rules are in
xl_cskpi/cells/marks.py; every rule has a test here, each expected value worked by hand.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import cells
from xl_cskpi.cells.marks import column_marks, undecided
from xl_cskpi.errors import InvalidInput, KPIError

# The reviewer's file /tmp/r4/in/eu_mrr_dots.csv (a German tool's customer-month export, ';'-separated):
# K001 1.200 Jan+Feb, K002 990 Jan+Feb, K003 2.500 Feb, K004 450 Jan+Feb.
EU_MRR = ["1.200", "1.200", "990", "990", "2.500", "450", "450"]


def _refused(values, **kw) -> InvalidInput:
    with pytest.raises(InvalidInput) as e:
        cells.number_column(values, "MRR", **kw)
    return e.value


# --------------------------------------------------------------------------- the reviewer's column


def test_the_reviewers_column_is_refused_with_both_readings_and_what_to_pass():
    e = _refused(EU_MRR, kind="money", delimiter=";")
    assert e.position == 0                                 # the first 1.200 (file row 2)
    assert "'1.200'" in e.reason and "1.2 or 1200" in e.reason
    assert "pass --decimal , if it is 1200, or --decimal . if it is 1.2" in e.reason
    assert "';'-separated" in e.reason                     # the hint is named, as a hint
    # reports.fill._cell_error appends "; pass --date-order ..." to a reason that says "ambiguous"
    assert "ambiguous" not in e.reason.lower()


def test_the_reviewers_column_with_decimal_given():
    # --decimal , : February's MRR by hand: 1,200 + 990 + 2,500 + 450 = 5,140 (the reviewer's figure)
    got = cells.number_column(EU_MRR, "MRR", decimal=",", kind="money", delimiter=";")
    assert got.tolist() == [1200.0, 1200.0, 990.0, 990.0, 2500.0, 450.0, 450.0]
    assert got[[1, 3, 4, 6]].sum() == 5140.0
    # --decimal . : the user says the dot is a decimal point, and gets what they said
    got = cells.number_column(EU_MRR, "MRR", decimal=".", kind="money", delimiter=";")
    assert got.tolist() == [1.2, 1.2, 990.0, 990.0, 2.5, 450.0, 450.0]


def test_money_refuses_it_in_any_file():
    # the same integer euros from a comma-separated export (a spreadsheet's CSV) or a workbook's text
    for delimiter in (",", "\t", None):
        assert _refused(EU_MRR, kind="money", delimiter=delimiter).position == 0
    assert _refused(["5", "1.200"], kind="count").position == 1     # 1.2 customers is no count


# --------------------------------------------------------------------------- what proves a mark


@pytest.mark.parametrize("proof, value", [
    ("12.5", 12.5),            # one digit after the dot
    ("99.00", 99.0),           # two
    ("1.2345", 1.2345),        # four
    ("0.125", 0.125),          # a leading zero: no thousands group starts with 0
    ("1200.500", 1200.5),      # four digits before the dot: a group has at most three
    ("1,200.500", 1200.5),     # commas between thousands, then a dot
    ("1,200,000", 1200000.0),  # two commas
    ("۰.۲۵", 0.25),            # Persian digits with a Latin dot: 0.25
])
def test_a_decimal_point_is_proved(proof, value):
    got = cells.number_column(["1.200", "990", proof], "MRR", kind="money", delimiter=";")
    assert got.tolist() == [1.2, 990.0, value]


@pytest.mark.parametrize("proof", ["1.200.000", "1.200,50", "12,5", "0,925"])
def test_dots_between_thousands_are_proved_and_the_cell_says_pass_decimal_comma(proof):
    # the decimal-point reader refuses the proving cell (as it refuses 1,5): never read, never guessed
    e = _refused(["1.200", "990", proof], kind="money", delimiter=";")
    assert e.position == 2 and "pass --decimal , for the column" in e.reason
    # and --decimal , reads the whole column: 1.200 = 1200; 1.200.000 = 1,200,000; 1.200,50 = 1200.5
    got = cells.number_column(["1.200", "990", proof], "MRR", decimal=",", kind="money")
    assert got[:2].tolist() == [1200.0, 990.0]
    assert got[2] == {"1.200.000": 1200000.0, "1.200,50": 1200.5, "12,5": 12.5, "0,925": 0.925}[proof]


def test_whole_numbers_and_grouping_by_space_prove_nothing():
    # 990 and 1 200 read the same in both conventions: the column stays undecided
    assert _refused(["1.200", "990", "1 500", "-7"], kind="money").position == 0


# --------------------------------------------------------------------------- kind and delimiter


def test_rates_keep_the_decimal_point_outside_a_semicolon_file():
    # exchange rates (Rates.rate is kind "number"): EUR 1.085 and GBP 1.272 in US dollars
    rates = ["1.085", "1.272"]
    for delimiter in (",", "\t", None):
        assert cells.number_column(rates, "rate", kind="number", delimiter=delimiter).tolist() == [1.085, 1.272]
    # durations and scores too ("0.125" hours proves itself anyway)
    assert cells.number_column(["1.125", "2.250"], "hours").tolist() == [1.125, 2.25]
    assert cells.number_column(["4.500"], "csat", kind="score").tolist() == [4.5]


def test_a_semicolon_file_is_a_hint_for_every_column():
    e = _refused(["1.085", "1.272"], kind="number", delimiter=";")
    assert "1.085 or 1085" in e.reason and "--decimal . if it is 1.085" in e.reason
    # ... and a hint only: one value that proves the decimal point settles it
    got = cells.number_column(["1.085", "1.272", "0.925"], "rate", kind="number", delimiter=";")
    assert got.tolist() == [1.085, 1.272, 0.925]


def test_comma_thousands_stay_the_default_outside_a_semicolon_file():
    # "1,200" is 1,200 in the English convention every comma-separated export here writes (README: 1,234)
    assert cells.number_column(["1,200", "990"], "MRR", kind="money", delimiter=",").tolist() == [1200.0, 990.0]
    # in a ';'-separated file it could be a decimal comma with three decimals: refused, both readings named
    e = _refused(["1,200", "990"], kind="money", delimiter=";")
    assert "1200 or 1.2" in e.reason and "pass --decimal . if it is 1200, or --decimal , if it is 1.2" in e.reason
    assert cells.number_column(["1,200", "12.50"], "MRR", kind="money", delimiter=";").tolist() == [1200.0, 12.5]


def test_currency_signs_and_accounting_negatives_are_undecided_too():
    for text in ("€1.200", "1.200 €", "(1.200)", "1.200-", "EUR 1.200"):
        assert _refused([text, "990"], kind="money").position == 0, text
    got = cells.number_column(["(1.200)", "€1.200"], "MRR", decimal=",", kind="money")
    assert got.tolist() == [-1200.0, 1200.0]


def test_numbers_typed_in_cells_are_numbers():
    # a workbook's number cells were read by Excel in the workbook's locale: nothing to decide
    assert cells.number_column(pd.Series([1.2, 990.0]), "MRR", kind="money").tolist() == [1.2, 990.0]
    assert cells.number_column([1200.0, 990, None], "MRR", kind="money")[:2].tolist() == [1200.0, 990.0]
    # a text cell among them is still in doubt
    assert _refused([990.0, "1.200"], kind="money").position == 1


def test_a_long_column_names_the_first_undecided_cell():
    # 64 cells and more take the vectorised reader: the same decision
    texts = [str(i) for i in range(100, 169)] + ["1.200"] + ["2.500"] * 30
    assert _refused(texts, kind="money").position == 69
    assert _refused(pd.Series(texts, dtype=object), kind="money").position == 69
    got = cells.number_column(texts + ["12.5"], "MRR", kind="money")
    assert got[69] == 1.2 and got[-1] == 12.5


# --------------------------------------------------------------------------- Persian and Arabic marks


def test_arabic_separators_follow_the_column():
    # ٬ (U+066C) always separates thousands; ٫ (U+066B) is the decimal mark (CLDR fa/ar) when the column
    # proves it (۱۲٫۵: one digit after it), so ۱٫۲۰۰ beside it is 1.2; with --decimal , ٫ goes with the
    # dot and separates thousands where three digits follow it (۱۲٫۵ has one reading: 12.5)
    for decimal in (None, "."):
        got = cells.number_column(["۱٬۲۰۰", "۱۲٫۵", "۱٫۲۰۰", "١٬٢٠٠"], "MRR", decimal=decimal, kind="money",
                                  delimiter=";")
        assert got.tolist() == [1200.0, 12.5, 1.2, 1200.0], decimal
    got = cells.number_column(["۱٬۲۰۰", "۱۲٫۵", "۱٫۲۰۰", "١٬٢٠٠"], "MRR", decimal=",", kind="money", delimiter=";")
    assert got.tolist() == [1200.0, 12.5, 1200.0, 1200.0]
    # the one-cell readers (worksheet text) keep the standard: ٫ is the decimal mark
    assert undecided("۱٬۲۰۰") is None and undecided("۱٫۲۰۰") is None
    # Persian digits with a Latin dot are as undecided as 1.200
    assert undecided("۱.۲۰۰") == (".", 1.2, 1200.0)
    assert _refused(["۱.۲۰۰", "۹۹۰"], kind="money").position == 0


# --------------------------------------------------------------------------- one-cell readings


def test_a_thousands_group_never_starts_with_zero():
    # 0,925 (a rate written with a decimal comma) was read as 925; 0.500 with --decimal , as 500
    assert cells.parse_number_text("0,925") is None
    assert cells.parse_number_text("0.500", decimal=",") is None
    assert cells.parse_number_text("0,925", decimal=",") == 0.925
    assert cells.parse_number_text("1,200") == 1200.0 and cells.parse_number_text("1.200", decimal=",") == 1200.0
    with pytest.raises(InvalidInput, match="decimal point"):
        cells.number_column(["0.500"], "x", decimal=",")
    for n in (10, 100):  # the vectorised reader of long columns too
        with pytest.raises(InvalidInput, match=r"--decimal ,") as e:
            cells.number_column(["7"] * n + ["0,925"], "x")
        assert e.value.position == n


def test_undecided_texts():
    assert undecided("1.200") == (".", 1.2, 1200.0)
    assert undecided("12.500") == (".", 12.5, 12500.0)
    assert undecided("-999.999") == (".", -999.999, -999999.0)
    assert undecided("$1,200") == (",", 1200.0, 1.2)
    for text in ("12.5", "1200.500", "0.200", "1.200.000", "1,200.50", "990", "1 200", "1.200e3", "abc", "", None):
        assert undecided(text) is None, text


def test_column_marks_returns_the_first_undecided_cell():
    assert column_marks(["990", "2.500", "1.200"], kind="money") == (1, ".", 2.5, 2500.0)
    assert column_marks(["990", "2.500"], kind="number") is None
    assert column_marks([None, 2.5, "990"], kind="money") is None


# --------------------------------------------------------------------------- worksheet cells (UDFs)


def test_worksheet_money_and_counts_refuse_undecided_text():
    from xl_cskpi import excel
    from xl_cskpi.registry import REGISTRY

    # ARR = 12 x the MRR range (xlwings delivers a column as rows, blanks as None)
    with pytest.raises(KPIError, match=r"mrr has '1.200' in cell 1, which could be 1.2 or 1200") as e:
        excel.call(REGISTRY["ARR"], ([["1.200"], ["990"], [None]],))
    assert "type the number itself" in str(e.value) and "--decimal" not in str(e.value)
    # numbers typed in cells: 12 x (1,200 + 990) = 26,280
    assert excel.call(REGISTRY["ARR"], ([[1200.0], [990.0], [None]],)) == 26280.0
    # another text decides: 12.5 has a decimal point, so 1.200 is 1.2; 12 x 13.7 = 164.4
    assert excel.call(REGISTRY["ARR"], ([["1.200"], ["12.5"]],)) == pytest.approx(164.4)
    # a count: CHURN_RATE(customers_start "1.200", lost 12)
    with pytest.raises(KPIError, match=r"customers_start has '1.200'"):
        excel.call(REGISTRY["CHURN_RATE"], ([["1.200"]], [[12.0]]))
    # 12 / 1,200 = 1 % when the text groups with a comma, the README's 1,234
    assert excel.call(REGISTRY["CHURN_RATE"], ([["1,200"]], [[12.0]])) == pytest.approx(0.01)


def test_other_worksheet_numbers_keep_the_documented_reading():
    # README: numbers stored as text read a decimal point and comma thousands (Excel's VALUE in an
    # English locale); only money and counts, where three decimals are rare, refuse 1.200
    assert cells.numbers([["1.085"], ["1.272"]], "rate").tolist() == [1.085, 1.272]
    assert cells.number("1.200", "x") == 1.2


# --------------------------------------------------------------------------- never silently wrong


def _en(k: int, style: str) -> tuple[str, float]:
    return {"fixed2": (f"{k / 100:,.2f}", k / 100), "repr": (repr(k / 100), k / 100),
            "fixed3": (f"{k / 1000:.3f}", k / 1000), "int": (f"{k:,}", float(k))}[style]


def _de(k: int, style: str) -> tuple[str, float]:
    swap = str.maketrans(",.", ".,")
    return {"fixed2": (f"{k / 100:,.2f}".translate(swap), k / 100), "int": (f"{k:,}".translate(swap), float(k)),
            "fixed3": (f"{k / 1000:.3f}".replace(".", ","), k / 1000)}[style]


@given(st.lists(st.integers(0, 10**8), min_size=1, max_size=40),
       st.sampled_from(["en:fixed2", "en:repr", "en:fixed3", "en:int", "de:fixed2", "de:int", "de:fixed3"]),
       st.sampled_from(["money", "count"]), st.sampled_from([",", ";", None]))
def test_a_money_column_is_read_right_or_refused(ks, writer, kind, delimiter):
    """Property: whatever one consistent writer wrote, a money or count column is read as written or
    refused, never read as another number. The writers: English (1,234.50; repr; 3 fixed decimals;
    1,234) and German (1.234,50; 1.234; 3 fixed decimals with a comma). German tools separate cells
    with ';': a German 1,234 (1.234) with three decimals in a comma-separated file is read as 1,234
    by the English convention (the README's rule, a known limit), so that writer only writes ';' files."""
    lang, style = writer.split(":")
    if lang == "de" and style == "fixed3" and delimiter != ";":
        delimiter = ";"
    written = [(_en if lang == "en" else _de)(k, style) for k in ks]
    texts, truth = [t for t, _ in written], [x for _, x in written]
    try:
        got = cells.number_column(texts, "amount", kind=kind, delimiter=delimiter)
    except InvalidInput:
        return
    assert np.allclose(got, truth, rtol=1e-15, atol=0), (texts, got.tolist())


# --------------------------------------------------------------------------- the long-column reader

_FORMS = ["1,200", "12,345.67", "-1,200.5", " 1,200 ", "\t1,200", "\u00a01,200", "۱,۲۰۰", "1,5", "0,925", "12,34,567",
          "1,200.", "1,200.5e3", "$1,200", "(1,200)", "1,200-", "1,200%", "1200", "12.5", ".5", "1e5",
          "2.6704376666050473e+56", "1,234,567,890,123,456.7891", None, "", "inf", "1e999", "1,200\n", "abc", "0"]


def _one(text):
    try:
        return cells.number_column([text], "x")[0]      # one cell: read by read_number_text
    except KPIError:
        return "refused"


@given(st.lists(st.sampled_from(_FORMS), min_size=1, max_size=4, unique=True), st.integers(64, 150), st.randoms())
def test_a_long_column_reads_each_text_as_one_cell_would(pool, n, rnd):
    """Property: 64 texts and more take the vectorised reader (pandas' parser, commas dropped by shape);
    it reads every text as read_number_text reads that text alone, or refuses when one of them is refused."""
    column = [rnd.choice(pool) for _ in range(n)]
    expected = [_one(t) for t in column]
    if "refused" in expected:
        with pytest.raises(InvalidInput):
            cells.number_column(column, "x")
        return
    got = cells.number_column(column, "x")
    assert np.array_equal(got, np.array(expected, dtype=float), equal_nan=True), pool


def test_long_grouped_columns_read_as_python_reads_them():
    # was a traceback (pandas' ValueError): 64 amounts padded with no-break spaces
    assert cells.number_column(["\u00a01,200\u00a0"] * 64, "mrr").tolist() == [1200.0] * 64
    # 17 significant digits after the commas go: Python's correctly rounded float, not pandas' parser
    got = cells.number_column(["1,234,567,890,123.4567"] * 64 + [None], "mrr")
    assert got[0] == float("1234567890123.4567") and np.isnan(got[-1])
    # a group starting with 0 among 100 grouped amounts is refused, naming its cell
    with pytest.raises(InvalidInput, match="--decimal ,") as e:
        cells.number_column(["1,200"] * 100 + ["0,925"], "mrr")
    assert e.value.position == 100

import subprocess
import sys
from pathlib import Path

EU_FILE = ("Kunden-ID;Monat;MRR;Tarif\nK001;2024-01;1.200;Pro\nK001;2024-02;1.200;Pro\nK002;2024-01;990;Basic\n"
           "K002;2024-02;990;Basic\nK003;2024-02;2.500;Enterprise\nK004;2024-01;450;Basic\nK004;2024-02;450;Basic\n")
EU_MAP = ["--map", "customer_id=Kunden-ID", "--map", "month=Monat", "--map", "plan=Tarif"]


def test_the_reviewers_file_through_the_pipeline(tmp_path):
    from xl_cskpi.exports.check import ExportError, ReadOptions
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.fill import load_data

    p = tmp_path / "eu_mrr_dots.csv"
    p.write_text(EU_FILE, encoding="utf-8")
    columns = {"customer_id": "Kunden-ID", "month": "Monat", "plan": "Tarif"}
    with pytest.raises(ExportError) as e:
        load_data(reports()["revenue"], [p], ReadOptions(columns=columns))
    line = str(e.value)
    assert "row 2, column MRR: has '1.200', which could be 1.2 or 1200" in line and "--date-order" not in line
    assert "pass --decimal , if it is 1200, or --decimal . if it is 1.2" in line
    data, _ = load_data(reports()["revenue"], [p], ReadOptions(columns=columns, decimal=","))
    mrr = data["Subscriptions"]["mrr"].tolist()
    assert sorted(mrr) == [450.0, 450.0, 990.0, 990.0, 1200.0, 1200.0, 2500.0]
    # the same amounts in a comma-separated file with a 12.50 among them: the decimal point is proved
    q = tmp_path / "us.csv"
    q.write_text("customer_id,month,mrr\nA,2024-01,1.200\nB,2024-01,12.50\n", encoding="utf-8")
    data, _ = load_data(reports()["revenue"], [q], ReadOptions())
    assert sorted(data["Subscriptions"]["mrr"].tolist()) == [1.2, 12.5]


def test_the_reviewers_command(tmp_path):
    # hand figures: February's MRR = 1,200 + 990 + 2,500 + 450 = 5,140
    p = tmp_path / "eu_mrr_dots.csv"
    p.write_text(EU_FILE, encoding="utf-8")
    run = [sys.executable, "-m", "xl_cskpi", "report", "revenue", "--data", str(p), *EU_MAP, "--values"]
    r = subprocess.run(run + ["-o", str(tmp_path / "a.xlsx")], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--decimal ," in r.stderr, r.stderr
    r = subprocess.run(run + ["-o", str(tmp_path / "b.xlsx"), "--decimal", ","], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    line = next(l for l in r.stdout.splitlines() if "Monthly recurring revenue (MRR)" in l)
    assert line.split()[-1] == "5,140"


# --------------------------------------------------------------------------- ٫ between thousands (G28, session 5)
# Unicode CLDR fa (arabext) and ar (arab) number symbols: decimal ٫ U+066B, group ٬ U+066C; Iranian tools
# and typists also write the momayyez ٫ between thousands: the column decides, as for 1.200.


def test_tomans_with_the_momayyez_between_thousands():
    # reviewer's /tmp/r4/in/fa_momayyez.csv: 49,000 + 120,000 + 990,000 = 1,159,000 tomans (by hand), not 1,159
    notes: list = []
    got = cells.number_column(pd.Series(["۴۹٫۰۰۰ تومان", "۴۹٫۰۰۰ تومان", "۱۲۰٫۰۰۰ تومان", "۱۲۰٫۰۰۰ تومان",
                                         "۹۹۰٫۰۰۰ تومان"], dtype=object), "mrr", kind="money", notes=notes)
    assert got.tolist() == [49000.0, 49000.0, 120000.0, 120000.0, 990000.0]
    assert got[[0, 2, 4]].sum() == 1_159_000
    assert [n["code"] for n in notes] == ["arabic_thousands"] and "tomans" in notes[0]["message"]
    # Iranian rials (Persian spelling, or the code) too; a rate column with rials is money all the same
    assert cells.number_column(["۱۲۰٫۰۰۰ ریال", "IRR 5٫000"], "amount", kind="money").tolist() == [120000.0, 5000.0]


def test_two_momayyez_in_one_value_prove_thousands():
    notes: list = []
    got = cells.number_column(["۱٫۲۵۰٫۰۰۰", "۴۹٫۰۰۰", "۹۹۰"], "mrr", kind="money", notes=notes)
    assert got.tolist() == [1250000.0, 49000.0, 990.0]
    assert notes[0]["position"] == 0 and notes[0]["fields"] == {"column": "mrr", "example": "۱٫۲۵۰٫۰۰۰",
                                                                 "value": "1,250,000"}


def test_undecided_momayyez_is_refused_naming_the_cell():
    with pytest.raises(InvalidInput, match=r"could be 49 or 49000.*--decimal , if it is 49000.*--decimal \. if it is 49"
                       ) as e:
        cells.number_column(["۹۹۰", "۴۹٫۰۰۰"], "MRR", kind="money")
    assert e.value.position == 1
    # the generic rial (Arabic spelling ريال, ﷼) may be Omani, with three decimals (1,000 baisa): no proof
    with pytest.raises(InvalidInput, match="--decimal"):
        cells.number_column(["٤٩٫٥٠٠ ريال"], "MRR", kind="money")
    # a count too; the long (vectorised) reader names the same cell
    texts = ["7"] * 80 + ["۱٫۲۰۰"]
    with pytest.raises(InvalidInput) as e:
        cells.number_column(pd.Series(texts, dtype=object), "tickets", kind="count")
    assert e.value.position == 80
    # the user's answer: --decimal , (thousands) or --decimal . (decimal mark)
    assert cells.number_column(["۹۹۰", "۴۹٫۰۰۰"], "MRR", kind="money", decimal=",").tolist() == [990.0, 49000.0]
    assert cells.number_column(["۹۹۰", "۴۹٫۰۰۰"], "MRR", kind="money", decimal=".").tolist() == [990.0, 49.0]


def test_a_decimal_momayyez_is_proved_by_the_column():
    # one, two or four digits after it, a leading zero, a four-digit whole part, ٬ before it (CLDR's form)
    for proof, value in (("۱۲٫۵", 12.5), ("۹۹٫۰۰", 99.0), ("۱٫۰۸۵۰", 1.085), ("۰٫۱۲۵", 0.125),
                         ("۱۲۰۰٫۵۰۰", 1200.5), ("۱٬۲۰۰٫۵", 1200.5)):
        got = cells.number_column(["۴۹٫۰۰۰", proof], "MRR", kind="money")
        assert got.tolist() == [49.0, value], proof
    # a rate or score keeps the standard decimal mark without proof (1.085 USD per EUR)
    assert cells.number_column(["۱٫۰۸۵"], "rate", kind="number").tolist() == [1.085]


def test_a_column_using_the_momayyez_both_ways_is_refused():
    with pytest.raises(InvalidInput, match="both ways") as e:
        cells.number_column(["۱۲٫۵", "۱٫۲۵۰٫۰۰۰"], "MRR", kind="money")
    assert e.value.position == 1


# --------------------------------------------------------------------------- 85% in a score column (G17, session 5)


def test_a_percent_sign_in_a_score_column_is_points():
    # reviewer's /tmp/r5/in/health_pct.csv: usage 85%, 40%, 10% on a 0-100 score: 85, 40, 10 points
    notes: list = []
    got = cells.number_column(pd.Series(["85%", "40%", "10 %", None], dtype=object), "usage", kind="score",
                              notes=notes)
    assert got[:3].tolist() == [85.0, 40.0, 10.0] and np.isnan(got[3])
    assert notes[0]["code"] == "percent_points" and notes[0]["fields"]["count"] == 3
    assert cells.number_column(["۸۵٪", "۹۰"], "usage", kind="score").tolist() == [85.0, 90.0]
    # in a rate column (and any other) 45% stays 0.45; a score column without a percent sign has no note
    assert cells.number_column(["45%"], "churn", kind="rate").tolist() == [0.45]
    notes = []
    assert cells.number_column(["85", "40"], "usage", kind="score", notes=notes).tolist() == [85.0, 40.0]
    assert notes == []
    with pytest.raises(InvalidInput, match="not a number"):
        cells.number_column(["85%%"], "usage", kind="score")


def test_worksheet_text_with_the_momayyez_through_the_registry_wrapper():
    from xl_cskpi.excel import call
    from xl_cskpi.registry import REGISTRY

    # UDF-shaped: ARR of 49,000 + 120,000 tomans a month = 169,000 x 12 = 2,028,000 (by hand)
    assert call(REGISTRY["ARR"], ([["۴۹٫۰۰۰ تومان"], ["۱۲۰٫۰۰۰ تومان"], [None]],)) == 2_028_000
    # a value with two marks decides the range: 1,250,000 + 49,000 = 1,299,000 x 12
    assert call(REGISTRY["ARR"], ([["۱٫۲۵۰٫۰۰۰"], ["۴۹٫۰۰۰"]],)) == 1_299_000 * 12
    # undecided text in a money range: refused, naming the cell (no --decimal in a workbook: type the number)
    with pytest.raises(InvalidInput, match=r"cell 1, which could be 49 or 49000.*type the number itself"):
        call(REGISTRY["ARR"], ([["۴۹٫۰۰۰"], ["990"]],))
    # a decimal ٫ proved by the range: 12.5 + 49 = 61.5 x 12 = 738
    assert call(REGISTRY["ARR"], ([["۱۲٫۵"], ["۴۹٫۰۰۰"]],)) == pytest.approx(738.0)
