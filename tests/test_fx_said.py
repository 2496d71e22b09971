"""The Data check says one conversion in words (reviewer's G31, session 5): a rates file written the
other way round (the ECB publishes "1 EUR = 1.0813 USD"; the product reads a rate as "one unit of the
currency = rate units of the reporting currency") otherwise turns 100 USD into 108.13 EUR instead of
92.48 EUR with no line to notice it by."""

from __future__ import annotations

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data


def test_the_conversion_is_said_with_an_example(tmp_path):
    subs = tmp_path / "subs.csv"
    subs.write_text("customer_id,month,mrr,currency\nc1,2024-02-01,100,USD\nc2,2024-02-01,100,EUR\n")
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n2024-02-01,USD,1.0813\n")
    data, check = load_data(reports()["revenue"], [subs, rates], ReadOptions())
    f = [f for f in check.findings if f.code == "currency_converted"]
    assert len(f) == 1 and f[0].fields["example"] == "1 USD = 1.0813 EUR in 2024-02"
    assert sorted(data["Subscriptions"]["mrr"].round(2)) == [100.0, 108.13]
