"""Headers and row labels of the table functions, in Persian and Arabic: data, one table per language.

Every table function (``MRR_MOVEMENTS``, ``COHORT_RETENTION``, ``NPS_BREAKDOWN`` ...) and
``HEALTH_STATUS`` takes an optional ``labels`` argument: ``"en"`` (the default), ``"fa"``, ``"ar"``,
or FALSE for a table without its header row. The translation is done once, by the registry
(:func:`xl_cskpi.registry.kpi` declares the argument and calls :func:`translate_table` /
:func:`translate_values` on the result), so the Python function, the classic add-in, xlwings Lite
and the LibreOffice face all read the same words; the KPI functions themselves only ever write
English.

The tables below map an English label to its translation. A label that carries one number
(``Month 3``, ``Margin of error (95 %)``) is found under the key with that number as ``{n}``
(``Month {n}``), and the number is put back in the translation. A translator adds a language by
adding one dict with the same keys (a test checks that none is missing) and naming it in
:data:`TABLES`; no Python to read.

What is translated: every header cell, and in the columns a function declares as its row labels
(``group`` of NPS_BREAKDOWN, ``Key`` of COMPLAINT_SUMMARY, ``theme`` of FEEDBACK_THEMES) the cells
that are one of our labels (``Promoters (9-10)``, ``Total``, ``(blank)``, ``(no theme)``). Data
stays as written: month labels, customer ids, theme names, complaint categories. The status columns
of COMPLAINT_SUMMARY are translated when they are the standard statuses ``pending``, ``resolved``,
``escalated`` (exact spelling), as the ``--values`` reports do.

The Persian and Arabic words are those of the report workbooks (``head.*`` and ``kpi.healthy`` ...
in :mod:`xl_cskpi.reports.lang_fa` and :mod:`xl_cskpi.reports.lang_ar`, from which they were
taken), so a live spilled table and a ``--values`` report read alike. This module sits below the
reports and faces: it imports nothing of them.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .errors import InvalidInput

__all__ = ["LANGUAGES", "FA", "AR", "TABLES", "ENGLISH", "language", "label", "translate_table",
           "translate_values"]

#: The values ``labels`` takes (besides FALSE).
LANGUAGES = ("en", "fa", "ar")

#: Every English label a function can produce, as the key the translations use.
ENGLISH = (
    # MRR_MOVEMENTS
    "Month", "Starting MRR", "New MRR", "Expansion MRR", "Contraction MRR", "Churned MRR",
    "Reactivation MRR", "Ending MRR", "Customers at start", "New customers", "Churned customers",
    "Reactivated customers", "Customers at end",
    # COHORT_RETENTION
    "Cohort", "Customers", "Day {n}", "Week {n}", "Month {n}", "Quarter {n}",
    # NPS_BREAKDOWN
    "group", "count", "share", "points", "Promoters (9-10)", "Passives (7-8)", "Detractors (0-6)",
    "Respondents", "NPS", "Margin of error ({n} %)",
    # NPS_CHANGE_TEST
    "respondents_before", "nps_before", "respondents_after", "nps_after", "change", "standard_error",
    "z", "p_value", "significant",
    # CSAT_DISTRIBUTION, CES_DISTRIBUTION
    "score",
    # FEEDBACK_THEMES
    "theme", "mentions", "(no theme)",
    # COMPLAINT_SUMMARY
    "Key", "Total", "(blank)", "pending", "resolved", "escalated",
    # SUBSCRIPTION_MRR
    "Customer", "MRR",
    # HEALTH_STATUS
    "Healthy", "At risk", "Critical",
    # SLA_POLICY_COMPLIANCE, SLA_BREACHES, BACKLOG, TICKETS_BY
    "Priority", "Target (h)", "Tickets", "Met", "Breached", "Open, breached", "Open", "Compliance", "(no target)", "ID", "Actual (h)", "Overrun (h)", "Period", "Date", "Opened", "Solved", "Backlog", "Median resolution (h)", "P90 resolution (h)", "Median first reply (h)", "SLA compliance", "Rated", "CSAT",
    # CUSTOMER_CHURN_RATE, SURVIVAL_CURVE
    "Convention", "Lost", "Base", "Churn rate", "Churned", "Censored", "Survival", "Low ({n} %)", "High ({n} %)",
    # MRR_MOVEMENTS_FX, SUBSCRIPTION_MRR_FX, REVENUE_RETENTION_MOVEMENTS, COHORT_MRR_RETENTION
    "FX impact MRR", "Currency", "Local MRR", "Window start", "Retained MRR", "NRR", "GRR",
    # the leading column of a table asked for per segment
    "segment",
    # the funnel's n/a while a count on its Settings sheet is blank (reports/specs/funnel.py ASK)
    "n/a: enter the customers at the start on the Settings sheet",
    "n/a: enter the active customers on the Settings sheet",
    # the churn report's chosen-convention churn while its period is blank (reports/specs/churn_retention.py)
    "n/a: enter the churn period's first and last day on the Settings sheet",
    "n/a: enter the top of your CSAT scale (5 for 1-5) on the Settings sheet",
    'n/a: a gross margin is off 0-100 %; enter 0.7 or 70%',
    # the two CES rows while the question is unknown or the other one (reports/specs/survey_ces.py)
    'n/a: enter ces_question (easy or effort) on the Settings sheet',
    'n/a: ces_question is effort: see the original CES',
    'n/a: read as CES 2.0 (ces_question)',
)

#: Persian. ی and ک, ZWNJ in compounds (as in :mod:`xl_cskpi.reports.lang_fa`).
FA = {
    "Month": "ماه",
    "Starting MRR": "MRR ابتدای ماه",
    "New MRR": "MRR جدید",
    "Expansion MRR": "MRR افزایشی",
    "Contraction MRR": "MRR کاهشی",
    "Churned MRR": "MRR ریزش‌کرده",
    "Reactivation MRR": "MRR بازگشتی",
    "Ending MRR": "MRR پایان ماه",
    "Customers at start": "مشتریان ابتدای ماه",
    "New customers": "مشتریان جدید",
    "Churned customers": "مشتریان ریزش‌کرده",
    "Reactivated customers": "مشتریان بازگشته",
    "Customers at end": "مشتریان پایان ماه",
    "Cohort": "گروه",
    "Customers": "مشتریان",
    "Day {n}": "روز {n}",
    "Week {n}": "هفته {n}",
    "Month {n}": "ماه {n}",
    "Quarter {n}": "فصل {n}",
    "group": "گروه",
    "count": "شمار",
    "share": "سهم",
    "points": "امتیاز",
    "Promoters (9-10)": "ترویج‌کنندگان (۹ تا ۱۰)",
    "Passives (7-8)": "بی‌طرف‌ها (۷ تا ۸)",
    "Detractors (0-6)": "منتقدان (۰ تا ۶)",
    "Respondents": "پاسخ‌دهندگان",
    "NPS": "امتیاز NPS",
    "Margin of error ({n} %)": "حاشیهٔ خطا ({n}٪)",
    "respondents_before": "پاسخ‌دهندگان دورهٔ قبل",
    "nps_before": "NPS دورهٔ قبل",
    "respondents_after": "پاسخ‌دهندگان دورهٔ بعد",
    "nps_after": "NPS دورهٔ بعد",
    "change": "تغییر",
    "standard_error": "خطای معیار",
    "z": "z",
    "p_value": "مقدار p",
    "significant": "معنادار",
    "score": "امتیاز",
    "theme": "موضوع",
    "mentions": "تعداد اشاره",
    "(no theme)": "(بدون موضوع)",
    "Key": "دسته",
    "Total": "جمع",
    "(blank)": "(خالی)",
    "pending": "در انتظار",
    "resolved": "حل‌شده",
    "escalated": "ارجاع‌شده",
    "Customer": "مشتری",
    "MRR": "MRR",
    "Healthy": "سالم",
    "At risk": "در معرض خطر",
    "Critical": "بحرانی",
    "segment": "بخش",
    "Priority": "اولویت",
    "Target (h)": "مهلت (ساعت)",
    "Tickets": "تیکت‌ها",
    "Met": "در مهلت",
    "Breached": "نقض‌شده",
    "Open, breached": "باز، نقض‌شده",
    "Open": "باز",
    "Compliance": "رعایت",
    "(no target)": "(بدون مهلت)",
    "ID": "شناسه",
    "Actual (h)": "واقعی (ساعت)",
    "Overrun (h)": "تأخیر (ساعت)",
    "Period": "دوره",
    "Date": "تاریخ",
    "Opened": "ثبت‌شده",
    "Solved": "حل‌شده",
    "Backlog": "باز مانده",
    "Median resolution (h)": "میانهٔ زمان حل (ساعت)",
    "P90 resolution (h)": "صدک ۹۰ زمان حل (ساعت)",
    "Median first reply (h)": "میانهٔ نخستین پاسخ (ساعت)",
    "SLA compliance": "رعایت SLA",
    "Rated": "امتیازداده",
    "CSAT": "CSAT",
    "Convention": "روش محاسبه",
    "Lost": "ازدست‌رفته",
    "Base": "پایهٔ محاسبه",
    "Churn rate": "نرخ ریزش",
    "Churned": "ریزش‌کرده",
    "Censored": "هنوز فعال (سانسورشده)",
    "Survival": "بقا",
    "Low ({n} %)": "حد پایین ({n}٪)",
    "High ({n} %)": "حد بالا ({n}٪)",
    "FX impact MRR": "اثر نرخ ارز بر MRR",
    "Currency": "ارز",
    "Local MRR": "MRR به ارز اصلی",
    "Window start": "شروع بازه",
    "Retained MRR": "MRR نگه‌داشته",
    "NRR": "NRR",
    "GRR": "GRR",
    "n/a: enter the customers at the start on the Settings sheet": "ناموجود: شمار مشتریان ابتدای دوره را در برگهٔ تنظیمات وارد کنید",
    "n/a: enter the active customers on the Settings sheet": "ناموجود: شمار مشتریان فعال را در برگهٔ تنظیمات وارد کنید",
    "n/a: enter the churn period's first and last day on the Settings sheet": "ناموجود: نخستین و واپسین روز دورهٔ ریزش را در برگهٔ تنظیمات وارد کنید",
    "n/a: enter the top of your CSAT scale (5 for 1-5) on the Settings sheet": "ناموجود: بالاترین امتیاز مقیاس CSAT خود را (۵ برای ۱ تا ۵) در برگهٔ تنظیمات وارد کنید",
    'n/a: a gross margin is off 0-100 %; enter 0.7 or 70%': 'ناموجود: حاشیهٔ سود ناخالصی بیرون از ۰ تا ۱۰۰٪ است؛ 0.7 یا 70% وارد کنید',
    'n/a: enter ces_question (easy or effort) on the Settings sheet': 'ناموجود: ces_question را (easy یا effort) در برگهٔ تنظیمات وارد کنید',
    'n/a: ces_question is effort: see the original CES': 'ناموجود: ces_question برابر effort است: CES اصلی را ببینید',
    'n/a: read as CES 2.0 (ces_question)': 'ناموجود: به\u200cصورت CES 2.0 خوانده شد (ces_question)',
}

#: Arabic (as in :mod:`xl_cskpi.reports.lang_ar`).
AR = {
    "Month": "الشهر",
    "Starting MRR": "MRR في بداية الشهر",
    "New MRR": "MRR الجديد",
    "Expansion MRR": "MRR التوسع",
    "Contraction MRR": "MRR الانكماش",
    "Churned MRR": "MRR المفقود",
    "Reactivation MRR": "MRR المستعاد",
    "Ending MRR": "MRR في نهاية الشهر",
    "Customers at start": "العملاء في بداية الشهر",
    "New customers": "العملاء الجدد",
    "Churned customers": "العملاء المفقودون",
    "Reactivated customers": "العملاء العائدون",
    "Customers at end": "العملاء في نهاية الشهر",
    "Cohort": "الفوج",
    "Customers": "العملاء",
    "Day {n}": "اليوم {n}",
    "Week {n}": "الأسبوع {n}",
    "Month {n}": "الشهر {n}",
    "Quarter {n}": "الربع {n}",
    "group": "الفئة",
    "count": "العدد",
    "share": "النسبة",
    "points": "النقاط",
    "Promoters (9-10)": "المروّجون (٩-١٠)",
    "Passives (7-8)": "المحايدون (٧-٨)",
    "Detractors (0-6)": "المنتقدون (٠-٦)",
    "Respondents": "المستجيبون",
    "NPS": "درجة NPS",
    "Margin of error ({n} %)": "هامش الخطأ ({n}٪)",
    "respondents_before": "المستجيبون في الفترة السابقة",
    "nps_before": "NPS في الفترة السابقة",
    "respondents_after": "المستجيبون في الفترة اللاحقة",
    "nps_after": "NPS في الفترة اللاحقة",
    "change": "التغير",
    "standard_error": "الخطأ المعياري",
    "z": "z",
    "p_value": "القيمة p",
    "significant": "دال إحصائيًا",
    "score": "الدرجة",
    "theme": "الموضوع",
    "mentions": "عدد الإشارات",
    "(no theme)": "(بلا موضوع)",
    "Key": "الفئة",
    "Total": "الإجمالي",
    "(blank)": "(فارغ)",
    "pending": "قيد الانتظار",
    "resolved": "محلولة",
    "escalated": "مُصعَّدة",
    "Customer": "العميل",
    "MRR": "MRR",
    "Healthy": "بصحة جيدة",
    "At risk": "معرَّض للخطر",
    "Critical": "حرج",
    "segment": "الشريحة",
    "Priority": "الأولوية",
    "Target (h)": "المهلة (ساعات)",
    "Tickets": "التذاكر",
    "Met": "ضمن المهلة",
    "Breached": "مخالفة",
    "Open, breached": "مفتوحة، مخالفة",
    "Open": "مفتوحة",
    "Compliance": "نسبة الالتزام",
    "(no target)": "(بلا مهلة)",
    "ID": "المعرف",
    "Actual (h)": "الفعلي (ساعات)",
    "Overrun (h)": "التجاوز (ساعات)",
    "Period": "الفترة",
    "Date": "التاريخ",
    "Opened": "المفتوحة",
    "Solved": "المحلولة",
    "Backlog": "المتراكمة",
    "Median resolution (h)": "وسيط وقت الحل (ساعات)",
    "P90 resolution (h)": "المئين 90 لوقت الحل (ساعات)",
    "Median first reply (h)": "وسيط الرد الأول (ساعات)",
    "SLA compliance": "الالتزام بـ SLA",
    "Rated": "المُقيَّمة",
    "CSAT": "CSAT",
    "Convention": "طريقة الحساب",
    "Lost": "المفقودون",
    "Base": "أساس الحساب",
    "Churn rate": "معدل التسرب",
    "Churned": "المتسربون",
    "Censored": "لا يزالون نشطين (مراقَبون)",
    "Survival": "البقاء",
    "Low ({n} %)": "الحد الأدنى ({n}٪)",
    "High ({n} %)": "الحد الأعلى ({n}٪)",
    "FX impact MRR": "أثر سعر الصرف على MRR",
    "Currency": "العملة",
    "Local MRR": "MRR بالعملة الأصلية",
    "Window start": "بداية النافذة",
    "Retained MRR": "MRR المحتفَظ به",
    "NRR": "NRR",
    "GRR": "GRR",
    "n/a: enter the customers at the start on the Settings sheet": "غير متاح: أدخل عدد العملاء في بداية الفترة في ورقة الإعدادات",
    "n/a: enter the active customers on the Settings sheet": "غير متاح: أدخل عدد العملاء النشطين في ورقة الإعدادات",
    "n/a: enter the churn period's first and last day on the Settings sheet": "غير متاح: أدخل أول يوم وآخر يوم من فترة التسرب في ورقة الإعدادات",
    "n/a: enter the top of your CSAT scale (5 for 1-5) on the Settings sheet": "غير متاح: أدخل أعلى درجة في مقياس CSAT لديك (٥ للمقياس ١-٥) في ورقة الإعدادات",
    'n/a: a gross margin is off 0-100 %; enter 0.7 or 70%': 'غير متاح: هامش ربح إجمالي خارج النطاق 0-100%؛ أدخل 0.7 أو 70%',
    'n/a: enter ces_question (easy or effort) on the Settings sheet': 'غير متاح: أدخل ces_question (easy أو effort) في ورقة الإعدادات',
    'n/a: ces_question is effort: see the original CES': 'غير متاح: ces_question يساوي effort: انظر CES الأصلي',
    'n/a: read as CES 2.0 (ces_question)': 'غير متاح: قُرئ بوصفه CES 2.0 (ces_question)',
}

#: The translation table of each language other than English.
TABLES: dict[str, dict[str, str]] = {"fa": FA, "ar": AR}

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def language(value: Any, *, table: bool = True) -> str | None:
    """The ``labels`` argument as a language code, or ``None`` for FALSE (no header row).

    Accepts ``"en"``, ``"fa"``, ``"ar"`` in any case, a blank (``"en"``), TRUE (``"en"``) and FALSE
    or 0 (Calc passes logical values as numbers). ``table=False`` (HEALTH_STATUS, which has no
    header row) refuses FALSE. Anything else is ``#VALUE!`` naming the choices.

    >>> language("FA"), language(None), language(False)
    ('fa', 'en', None)
    """
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return language(value[0], table=table)
    if value is None or (isinstance(value, str) and not value.strip()):
        return "en"
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, float, np.integer, np.floating))
                                               and float(value) in (0.0, 1.0)):
        if bool(value):
            return "en"
        if table:
            return None
    elif isinstance(value, str) and value.strip().lower() in LANGUAGES:
        return value.strip().lower()
    choices = ", ".join(f'"{c}"' for c in LANGUAGES) + (" or FALSE (no header row)" if table else "")
    shown = repr(value) if not isinstance(value, (bool, np.bool_)) else str(bool(value)).upper()
    raise InvalidInput(f"is {shown}; use one of {choices}", argument="labels")


def label(text: str, lang: str) -> str:
    """``text`` in ``lang``: its entry, or the entry of the text with its one number as ``{n}``;
    a text that is not one of our labels is returned as is.

    >>> label("Month 3", "fa"), label("Margin of error (90 %)", "ar"), label("2024-09", "fa")
    ('ماه 3', 'هامش الخطأ (90٪)', '2024-09')
    """
    words = TABLES.get(lang)
    if not words or not isinstance(text, str):
        return text
    found = words.get(text)
    if found is not None:
        return found
    numbers = _NUMBER.findall(text)
    if len(numbers) == 1:
        found = words.get(_NUMBER.sub("{n}", text))
        if found is not None:
            return found.replace("{n}", numbers[0])
    return text


def translate_table(frame: pd.DataFrame, lang: str, row_labels: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of ``frame`` with its header, and its ``row_labels`` columns' labels, in ``lang``.

    >>> t = pd.DataFrame({"group": ["Respondents", "NPS"], "points": [None, 30.0]})
    >>> translate_table(t, "fa", ("group",)).columns.tolist()
    ['گروه', 'امتیاز']
    """
    if lang == "en":
        return frame
    out = frame.copy()
    for col in row_labels:
        if col in out.columns:
            out[col] = [label(v, lang) if isinstance(v, str) else v for v in out[col].tolist()]
    out.columns = [label(str(c), lang) for c in out.columns]
    return out


def translate_values(values: Any, lang: str) -> Any:
    """A text, or an array of texts (``None`` kept), with each of our labels in ``lang``.

    >>> translate_values(np.array(["Healthy", None], dtype=object), "ar").tolist()
    ['بصحة جيدة', None]
    """
    if lang == "en":
        return values
    if isinstance(values, str):
        return label(values, lang)
    arr = np.asarray(values, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    out.ravel()[:] = [label(v, lang) if isinstance(v, str) else v for v in arr.ravel().tolist()]
    return out
