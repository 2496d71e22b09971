"""compute decides ``1.200`` (1.2, or 1,200 with a dot between thousands) as report does, on every
engine (engines.numbers): the same delimiter, the same proof rules (cells.marks.column_marks: a value
such as 12.5 or 1,200.50 decides it), the same refusal line, and ``--decimal``. pandas (which calls
the report's number_column) is the reference; DuckDB is tested against it and against hand sums
(Spark: tests/test_engines_spark.py)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from xl_cskpi import engines
from xl_cskpi.cells import number_column
from xl_cskpi.engines import numbers
from xl_cskpi.errors import KPIError

from test_engines import assert_same

ENGINES = ("pandas", "duckdb")

#: The reviewer's German export (/tmp/r4/in/eu_mrr_dots.csv, W.md 6): report refuses it without
#: --decimal; the SQL engines read 1.200 as 1.2 (Ending MRR 2024-02 1443.7 for 5,140).
EU_DOTS = """Kunden-ID;Monat;MRR;Tarif
K001;2024-01;1.200;Pro
K001;2024-02;1.200;Pro
K002;2024-01;990;Basic
K002;2024-02;990;Basic
K003;2024-02;2.500;Enterprise
K004;2024-01;450;Basic
K004;2024-02;450;Basic
"""
COLUMNS = {"customer_id": "Kunden-ID", "month": "Monat"}


def _file(tmp_path: Path, text: str, name: str = "export.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _report_line(values: list, delimiter: str, kind: str | None = "money") -> str:
    """The reason the report's reader gives (cells.number_column, as reports/fill.py calls it)."""
    with pytest.raises(KPIError) as e:
        number_column(values, "MRR", kind=kind, delimiter=delimiter)
    return e.value.reason.split(", which ", 1)[1]


@pytest.mark.parametrize("engine", ENGINES)
def test_reviewers_german_dots_refused_with_the_reports_line(tmp_path, engine):
    path = _file(tmp_path, EU_DOTS)
    with pytest.raises(engines.EngineError) as e:
        engines.compute("movements", path, engine=engine, options={"columns": COLUMNS})
    want = _report_line(["1.200", "1.200", "990", "990", "2.500", "450", "450"], ";")
    assert "'1.200'" in e.value.line and e.value.line.endswith(want)
    assert "pass --decimal , if it is 1200, or --decimal . if it is 1.2" in e.value.line


@pytest.mark.parametrize("engine", ENGINES)
def test_decimal_comma_and_point_given(tmp_path, engine):
    path = _file(tmp_path, EU_DOTS)
    comma = engines.compute("movements", path, engine=engine, options={"columns": COLUMNS, "decimal": ","})
    # by hand: February 1,200 + 990 + 2,500 + 450 = 5,140 (the reviewer's expected MRR)
    assert comma["Ending MRR"].tolist() == [2640.0, 5140.0]
    point = engines.compute("movements", path, engine=engine, options={"columns": COLUMNS, "decimal": "."})
    # --decimal . says the dot is a decimal point: 1.2 + 990 + 2.5 + 450 = 1,443.7 (as report --decimal .)
    assert point["Ending MRR"].round(6).tolist() == [1441.2, 1443.7]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_value_proves_the_decimal_point(tmp_path, engine):
    # a comma CSV: 12.5 (one digit after the dot) and 1,200.50 (commas between thousands) prove a point
    for proof, value in (("12.5", 12.5), ('"1,200.50"', 1200.5), ("0.125", 0.125), ("1200.500", 1200.5)):
        path = _file(tmp_path, f"customer_id,month,mrr\nA,2024-01,1.200\nB,2024-01,{proof}\n")
        out = engines.compute("subscriptions", path, engine=engine)
        assert out["mrr"].tolist() == [1.2, value], proof
    # without one, money refuses 1.200 even in a comma CSV (a dot between thousands is how 1,200 is written)
    path = _file(tmp_path, "customer_id,month,mrr\nA,2024-01,1.200\nB,2024-01,990\n")
    with pytest.raises(engines.EngineError, match="could be 1.2 or 1200"):
        engines.compute("subscriptions", path, engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_decimal_comma_reads_grouped_amounts(tmp_path, engine):
    path = _file(tmp_path, "customer_id;month;mrr\nA;2024-01;1.234,50\nB;2024-01;99,90\nC;2024-01;1200\n")
    out = engines.compute("subscriptions", path, engine=engine, options={"decimal": ","})
    assert out["mrr"].tolist() == [1234.5, 99.9, 1200.0]


@pytest.mark.parametrize("engine", ENGINES)
def test_durations_refuse_only_in_a_semicolon_file(tmp_path, engine):
    # Zendesk's first reply minutes (kind: a duration): 1.500 is 1.5 min in a comma file (as report reads
    # it), undecided in a ';' file (report: "could be 1.5 or 1500")
    head = "Created at{d}Solved at{d}First reply time in minutes\n"
    rows = "2024-06-03 09:00{d}2024-06-03 11:00{d}1.500\n2024-06-04 09:00{d}2024-06-04 10:00{d}30\n"
    comma = engines.compute("support_summary", _file(tmp_path, (head + rows).format(d=",")), engine=engine)
    assert comma.iloc[0]["first_response_mean_hours"] == pytest.approx((1.5 + 30) / 2 / 60)
    with pytest.raises(engines.EngineError, match="could be 1.5 or 1500"):
        engines.compute("support_summary", _file(tmp_path, (head + rows).format(d=";"), "semi.csv"), engine=engine)


def test_sql_engines_read_no_inf_nan_or_underscores(tmp_path):
    # DuckDB's own cast takes 'nan', 'inf' and '1_200'; the report refuses them: so does compute
    for bad in ("nan", "inf", "1_200"):
        path = _file(tmp_path, f"customer_id,month,mrr\nA,2024-01,{bad}\nB,2024-01,12.5\n")
        for engine in ENGINES:
            with pytest.raises(engines.EngineError):
                engines.compute("subscriptions", path, engine=engine)


def test_bad_decimal_option():
    with pytest.raises(engines.EngineError, match="decimal"):
        engines.compute("subscriptions", "x.csv", engine="duckdb", options={"decimal": ";"})


def test_mixed_delimiters_refused(tmp_path):
    _file(tmp_path, "customer_id,month,mrr\nA,2024-01,12.5\n", "a.csv")
    _file(tmp_path, "customer_id;month;mrr\nB;2024-01;12,5\n", "b.csv")
    for engine in ENGINES:
        with pytest.raises(engines.EngineError, match="mixes CSV files separated by"):
            engines.compute("subscriptions", str(tmp_path), engine=engine)


TOKENS = ["1.200", "2.500", "990", "12.5", "99.00", "1,200.50", "1,200", "1,200,000", "0.125", "1200.500",
          "1.2345", "3.000", "450", "7"]


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6), semicolon=st.booleans())
def test_duckdb_decides_as_the_report_hypothesis(values, semicolon):
    """Any column of these amounts: DuckDB refuses exactly when the report's reader does, and
    otherwise reads the same numbers (the pandas engine: the report's number_column)."""
    d = ";" if semicolon else ","
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=d, lineterminator="\n")
    w.writerow(["customer_id", "month", "mrr"])
    for i, v in enumerate(values):
        w.writerow([f"C{i}", "2024-01", v])
    try:
        want = number_column(values, "mrr", kind="money", delimiter=d)
    except KPIError:
        want = None
    with tempfile.TemporaryDirectory() as tmp:
        path = _file(Path(tmp), buf.getvalue())
        outs = []
        for engine in ENGINES:
            try:
                outs.append(engines.compute("subscriptions", path, engine=engine))
            except engines.EngineError:
                outs.append(None)
    if want is None:
        assert outs == [None, None], values
        return
    ref, got = outs
    assert ref is not None and got is not None, values
    kept = sorted((f"C{i}", float(x)) for i, x in enumerate(want) if x > 0)
    assert sorted(zip(ref["customer_id"], ref["mrr"])) == kept
    assert_same(ref, got, money=("mrr",))


def test_delimiter_is_the_reports(tmp_path):
    from xl_cskpi.exports.read import read_file
    for text in (EU_DOTS, "a,b\n1,2\n", "a\tb\n1\t2\n", "a|b;c\n1|2;3\n"):
        path = _file(tmp_path, text)
        assert numbers.delimiter(path) == read_file(path).attrs["delimiter"]


@pytest.mark.parametrize("engine", ENGINES)
def test_excels_sep_line_above_the_header(tmp_path, engine):
    # the reviewer's eu_sep_hint.csv (U1): 'sep=;' above the header, decimal commas; report with
    # --decimal , prints MRR 1,550 for February: 1,200.50 + 99.90 + 250.00 = 1,550.40 by hand
    text = ("sep=;\nKunden-ID;Monat;MRR;Tarif\nK001;2024-01;1200,50;Pro\nK001;2024-02;1200,50;Pro\n"
            "K002;2024-01;99,90;Basic\nK002;2024-02;99,90;Basic\nK003;2024-02;250,00;Team\n")
    path = _file(tmp_path, text)
    assert numbers.sep_line(path) and numbers.delimiter(path) == ";"
    out = engines.compute("movements", path, engine=engine, options={"columns": COLUMNS, "decimal": ","})
    assert out["Ending MRR"].round(6).tolist() == [1300.4, 1550.4]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_comma_between_thousands_is_undecided_in_a_semicolon_file(tmp_path, engine):
    # cells.marks: in a ';' file the comma is looked at too: 1,200 could be 1200 or 1.2 (refused, the
    # report's line); in a ',' file (quoted) it is 1,200 as the report reads it
    path = _file(tmp_path, "customer_id;month;mrr\nA;2024-01;1,200\nB;2024-01;990\n")
    want = _report_line(["1,200", "990"], ";")
    with pytest.raises(engines.EngineError) as e:
        engines.compute("subscriptions", path, engine=engine)
    assert e.value.line.endswith(want) and "pass --decimal . if it is 1200" in e.value.line
    path = _file(tmp_path, 'customer_id,month,mrr\nA,2024-01,"1,200"\nB,2024-01,12.5\n', "comma.csv")
    assert engines.compute("subscriptions", path, engine=engine)["mrr"].tolist() == [1200.0, 12.5]
