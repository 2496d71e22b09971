"""Settings that are the user's own data are blank until the user enters them (session 3, engineer G).

The funnel's ``customers_start`` and ``active_customer_count`` were 350 and 400 by default: a real
campaign export then got an acquisition rate and a referral rate computed from numbers that were not
the user's (233 % and 139 % on the demo's campaigns). Now they are blank, and the KPIs that need them
read "n/a: enter ... on the Settings sheet" in --values and in the live formulas alike. Every expected
number below is hand-computed from the two campaigns written here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from openpyxl import load_workbook

from xl_cskpi.errors import KPIError
from xl_cskpi.reports import reports
from xl_cskpi.reports.evaluate import evaluate_report
from xl_cskpi.reports.specs.funnel import ASK

REPORTS = reports()

#: two campaigns, totals: visits 3,000, direct 600, pageviews 9,000, leads 400, opportunities 100,
#: conversions 50, referred 30, invites converted 12, carts 800, orders 200, cost 10,000, revenue 15,000
CAMPAIGNS_CSV = (
    "campaign,channel,visits,direct_visits,pageviews,leads,opportunities,conversions,referred_leads,"
    "invites_converted,carts_created,orders_completed,cost,revenue\n"
    "Spring webinar,event,1000,200,2500,150,40,20,10,4,300,80,4000,5000\n"
    "Search - brand,search,2000,400,6500,250,60,30,20,8,500,120,6000,10000\n"
)

#: hand-computed from the totals above (each KPI's published formula, xl_cskpi/kpi/funnel.py)
WHOLE = {
    "conversion_rate": 50 / 400,            # 0.125
    "lead_to_opportunity": 100 / 400,       # 0.25
    "cart_abandonment": 1 - 200 / 800,      # 0.75 (Baymard: 1 - orders / carts)
    "campaign_roi": (15000 - 10000) / 10000,  # 0.5
    "direct_traffic_share": 600 / 3000,     # 0.2
    "pages_per_visit": 9000 / 3000,         # 3.0
}
NEEDS = {"acquisition_rate": "customers_start", "referral_rate": "active_customer_count",
         "viral_coefficient": "active_customer_count"}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xl_cskpi", *map(str, args)], capture_output=True, text=True)


def _dashboard(path) -> dict[str, tuple]:
    """{KPI key: (value cell, status cell)} of a report's dashboard (KPI rows from row 5, in spec order)."""
    wb = load_workbook(path)
    ws = wb["Dashboard"]
    heads = [c.value for c in ws[4]]
    value, status = heads.index("Value") + 1, heads.index("Status") + 1
    return {k.key: (ws.cell(5 + i, value).value, ws.cell(5 + i, status).value)
            for i, k in enumerate(REPORTS["funnel"].kpis)}


@pytest.fixture
def campaigns(tmp_path):
    p = tmp_path / "campaigns.csv"
    p.write_text(CAMPAIGNS_CSV, encoding="utf-8")
    return p


def test_funnel_from_a_campaign_export_alone_says_what_to_enter_and_computes_the_rest(campaigns, tmp_path):
    out = tmp_path / "funnel.xlsx"
    r = _run("report", "funnel", "--data", campaigns, "-o", out, "--values")
    assert r.returncode == 0, r.stderr
    cells = _dashboard(out)
    for key, setting in NEEDS.items():
        assert cells[key][0] == ASK[setting], key
    assert cells["acquisition_rate"][0] == "n/a: enter the customers at the start on the Settings sheet"
    assert cells["referral_rate"][0] == "n/a: enter the active customers on the Settings sheet"
    for key, want in WHOLE.items():
        assert cells[key][0] == pytest.approx(want, rel=1e-12), key
    # the printed summary says the same (no 233 % anywhere)
    assert "n/a: enter the customers at the start on the Settings sheet" in r.stdout
    # the Settings sheet shows the two counts blank, for the user to fill
    wb = load_workbook(out)
    for name in ("customers_start", "active_customer_count"):
        title, coord = next(iter(wb.defined_names[name].destinations))
        assert wb[title][coord.replace("$", "")].value is None, name


def _funnel_template(folder, **counts):
    """The bundled funnel template written by ``xl-cskpi templates``, its Settings filled with ``counts``."""
    r = _run("templates", "-o", folder, "--only", "funnel")
    assert r.returncode == 0, r.stderr
    template = folder / "funnel.xlsx"
    wb = load_workbook(template)
    for name, value in counts.items():
        title, coord = next(iter(wb.defined_names[name].destinations))
        wb[title][coord.replace("$", "")].value = value
    wb.save(template)
    return template


def test_funnel_with_the_counts_entered_in_its_template_computes_them(campaigns, tmp_path):
    # the CLI's way to give settings: a template .xlsx whose Settings sheet the user filled
    template = _funnel_template(tmp_path, customers_start=200, active_customer_count=600)
    out = tmp_path / "filled.xlsx"
    r = _run("report", template, "--data", campaigns, "-o", out, "--values")
    assert r.returncode == 0, r.stderr
    cells = _dashboard(out)
    assert cells["acquisition_rate"][0] == pytest.approx(50 / 200)     # conversions / customers at start
    assert cells["referral_rate"][0] == pytest.approx(30 / 600)        # referred leads / active customers
    assert cells["viral_coefficient"][0] == pytest.approx(12 / 600)    # invites converted / active customers
    for key, want in WHOLE.items():
        assert cells[key][0] == pytest.approx(want, rel=1e-12), key


def test_a_template_still_holding_the_old_made_up_counts_is_a_warning(campaigns, tmp_path):
    # funnel templates made before the counts became blank hold 350 / 400: the report is made (they may
    # be the user's real counts) with a Data check warning, and --strict refuses it
    template = _funnel_template(tmp_path, customers_start=350, active_customer_count=400)
    r = _run("report", template, "--data", campaigns, "-o", tmp_path / "old.xlsx", "--values")
    assert r.returncode == 0, r.stderr
    assert "customers_start 350, active_customer_count 400 are the made-up defaults" in r.stdout
    assert _dashboard(tmp_path / "old.xlsx")["acquisition_rate"][0] == pytest.approx(50 / 350)
    r = _run("report", template, "--data", campaigns, "-o", tmp_path / "strict.xlsx", "--values", "--strict")
    assert r.returncode == 2 and not (tmp_path / "strict.xlsx").exists()


def test_live_template_formula_asks_for_the_count_while_it_is_blank(campaigns, tmp_path):
    out = tmp_path / "live.xlsx"
    r = _run("report", "funnel", "--data", campaigns, "-o", out)
    assert r.returncode == 0, r.stderr
    cells = _dashboard(out)
    f = cells["acquisition_rate"][0]
    assert f.startswith("=IF(ISNUMBER(customers_start),") and ASK["customers_start"] in f
    assert "ACQUISITION_RATE(" in f
    f = cells["viral_coefficient"][0]
    assert f.startswith("=IF(ISNUMBER(active_customer_count),") and "VIRAL_COEFFICIENT(" in f


@pytest.mark.parametrize("bad", [None, "", "four hundred"])
def test_a_blank_or_text_count_is_the_n_a_sentence_and_zero_is_the_functions_own_error(bad):
    import pandas as pd
    from io import StringIO

    data = {"Campaigns": pd.read_csv(StringIO(CAMPAIGNS_CSV))}
    v = evaluate_report(REPORTS["funnel"], data, {"customers_start": bad, "active_customer_count": bad})
    assert v["acquisition_rate"] == ASK["customers_start"]
    assert v["referral_rate"] == v["viral_coefficient"] == ASK["active_customer_count"]
    v = evaluate_report(REPORTS["funnel"], data, {"customers_start": 0, "active_customer_count": 0})
    assert isinstance(v["acquisition_rate"], KPIError) and v["acquisition_rate"].code == "#DIV/0!"
    assert "customers_start" in v["acquisition_rate"].message


#: Settings whose default is a convention or a published benchmark, not the user's data (the audit of
#: session 3): anything else that is not a target_* must be blank by default
CONVENTIONS = {
    "calendar",                      # the Gregorian calendar (fa/ar reports: the language's)
    "baymard_cart_abandonment",      # Baymard Institute's published average, 68.53 %
    "health_weights", "healthy_from", "at_risk_from",   # the health-score model's bands and weights
    "churn_convention",              # ChartMogul's, chosen from a list
    "mrr_churn_reactivation",        # whether reactivations offset churned MRR (ChartMogul: yes)
    "confidence_level",              # 95 %
    "trailing_months",               # ChartMogul's observed LTV window, 6 months
    "discount_rate",                 # 0: the undiscounted LTV
    "sla_hours", "sla_policy", "first_reply_policy",     # the team's promise: a target
    "ces_scale",                     # CES 2.0's 1-7 agreement scale (CEB/Gartner); CES is a mean, which the scale does not change
}


@pytest.mark.parametrize("key", sorted(REPORTS))
def test_no_setting_defaults_to_a_made_up_data_value(key):
    for s in REPORTS[key].settings:
        if s.key.startswith("target_") or s.key in CONVENTIONS:
            continue
        assert s.value in (None, ""), f"{key}.{s.key} = {s.value!r}: the user's data, blank by default"


def test_clv_uses_twelve_purchases_a_year_because_arpa_is_monthly():
    # unit_economics had a purchases_per_year setting (12); any other value scaled CLV silently, as ARPA
    # is a month's revenue per customer. Hand computation over a two-month Finance table: ARPA =
    # (1,100 + 1,100) / (11 + 11) customers paying at the months' ends (10 + 2 - 1, 11 + 1 - 1) = 100 a
    # month; churn = (1 + 1) / (10 + 11) = 2/21, lifespan 10.5 months;
    # CLV = 100 x 12 x 10.5 / 12 = 1,050 (= ARPA x lifespan in months)
    import pandas as pd

    r = REPORTS["unit_economics"]
    assert "purchases_per_year" not in {s.key for s in r.settings}
    finance = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-02-01"]), "customers_start": [10, 11],
                            "customers_new": [2, 1], "customers_lost": [1, 1], "revenue": [1100.0, 1100.0]})
    v = evaluate_report(r, {"Finance": finance})
    whole = v.get("_whole") or v
    assert whole["clv"] == pytest.approx(1050.0, rel=1e-12)


@pytest.mark.parametrize("lang", ["en", "fa", "ar"])
def test_the_live_formula_asks_in_the_reports_language(lang, campaigns, tmp_path):
    from xl_cskpi.labels import label

    out = tmp_path / f"live_{lang}.xlsx"
    r = _run("report", "funnel", "--data", campaigns, "-o", out, "--lang", lang)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).worksheets[1]          # the dashboard (its title is translated)
    formulas = [c.value for row in ws.iter_rows(min_row=5, max_row=13) for c in row
                if isinstance(c.value, str)
                and c.value.startswith(("=IF(ISNUMBER(customers_start)", "=IF(ISNUMBER(active_customer_count)"))]
    assert len(formulas) == 3
    for setting, n in (("customers_start", 1), ("active_customer_count", 2)):
        assert sum(label(ASK[setting], lang) in f for f in formulas) == n, (lang, setting)


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_the_n_a_sentences_are_translated(lang):
    # waits for the lead's labels.py entries (requests/G.md, 1): until then fa/ar show the English text
    from xl_cskpi.labels import label

    for text in ASK.values():
        assert label(text, lang) != text, (lang, text)
