"""Persian (fa) texts and number formats of the report workbooks.

Same keys as ``STRINGS["en"]`` in :mod:`xl_cskpi.reports.i18n`, plus Persian sheet names and column
headers of the data tables (``sheet.<Table>``, ``col.<Table>.<column>``). Business terms are the ones
Iranian customer-success and finance teams use (نرخ ریزش مشتری, امتیاز خالص ترویج‌کنندگان,
ارزش طول عمر مشتری); the well-known acronyms (NPS, CSAT, MRR, ...) follow in parentheses.

Persian letters throughout: ی and ک (never the Arabic ي and ك), the zero-width non-joiner (ZWNJ,
U+200C) in compounds such as «مشتری‌ها» and «می‌شود», Persian digits in running text. Numbers in cells
keep Latin digits in their formats: Excel and LibreOffice show Persian digits where the system's
digit substitution asks for them, and the values stay numbers for every formula.

Money reads «تومان», the unit Iranian businesses quote prices in; :data:`MONEY_FORMATS` has the rial
variant for books kept in rials (assign it to ``NUMBER_FORMATS["money"]`` to switch).
"""

from __future__ import annotations

#: Money formats for the two Iranian units (the amounts themselves are never converted).
MONEY_FORMATS = {
    "toman": '#,##0 "تومان"',
    "rial": '#,##0 "ریال"',
}

#: Overrides of ``NUMBER_FORMATS["en"]``; kinds not listed here keep the English format.
NUMBER_FORMATS = {
    "money": MONEY_FORMATS["toman"],
    "ratio": '0.0"×"',
    "months": '0.0" ماه"',
    "days": '0.0" روز"',
    "hours": '0.0" ساعت"',
    "date": "yyyy/mm/dd",
    "datetime": "yyyy/mm/dd hh:mm",
    "month": "yyyy/mm",
}

STRINGS = {
    # ------------------------------------------------------------ sheets and common labels
    "sheet.instructions": "راهنما",
    "sheet.settings": "تنظیمات",
    "sheet.dashboard": "داشبورد",
    "label.kpi": "شاخص کلیدی عملکرد",
    "label.value": "مقدار",
    "label.target": "هدف",
    "label.status": "وضعیت",
    "label.setting": "تنظیم",
    "label.note": "معنای آن",
    "status.on": "در حد هدف",
    "status.watch": "نیازمند توجه",
    "status.off": "دور از هدف",
    "setting.amber_band": "بازهٔ زرد (سهمی از هدف که شاخص در آن زرد می‌شود)",
    "instructions.how": "راهنمای استفاده از این کتاب کار",
    "instructions.1": "۱. خروجی‌های سامانه‌های خود را زیر سطر عنوان در برگه‌های داده ({sheets}) بچسبانید، یا "
                      "دستور 'xl-cskpi report {report} --data FILE... -o OUT.xlsx' را اجرا کنید. "
                      "جدول‌ها با چسباندن داده بزرگ می‌شوند.",
    "instructions.2": "۲. نام ستون‌های سطر عنوان را تغییر ندهید؛ ستون‌های اضافی خودتان را بعد از آخرین ستون "
                      "جدول بگذارید.",
    "instructions.3": "۳. هدف‌ها را در برگهٔ «{settings}» تعیین کنید. شاخص‌ها در حد هدف سبز، در بازهٔ زرد، "
                      "زرد و فراتر از آن قرمز می‌شوند.",
    "instructions.4": "۴. سلول‌های شاخص، توابع اکسل xl_cskpi را فرا می‌خوانند (افزونه را نصب کنید: "
                      "'pip install xl_cskpi' و راهنمای README). بدون افزونه، خطای ‎#NAME?‎ نمایش داده "
                      "می‌شود؛ دستور 'xl-cskpi report ... --values' به جای فرمول‌ها اعداد محاسبه‌شده را "
                      "می‌نویسد.",
    "instructions.5": "۵. توابع به‌کاررفته در این کتاب کار: {functions}.",
    "instructions.tables": "جدول‌های داده و ستون‌های آن‌ها",
    "instructions.generated": "ساخته‌شده با xl_cskpi نسخهٔ {version}؛ برای ساخت دوباره: "
                              "'xl-cskpi templates --lang fa'.",

    # ------------------------------------------------------------ churn & retention
    "report.churn_retention.title": "ریزش و نگهداشت مشتری",
    "report.churn_retention.intro": "نرخ ریزش، نگهداشت و تمدید مشتریان به تفکیک ماه، از شمار ماهانهٔ "
                                    "مشتریان (خروجی خلاصهٔ صورت‌حساب یا CRM).",
    "kpi.churn_rate": "نرخ ریزش مشتری (آخرین ماه)",
    "kpi.retention_rate": "نرخ نگهداشت مشتری (آخرین ماه)",
    "kpi.renewal_rate": "نرخ تمدید (همهٔ ماه‌ها)",
    "kpi.customers_end": "مشتریان فعال (پایان آخرین ماه)",
    "setting.target_churn": "نرخ ریزش ماهانهٔ هدف (حداکثر)",
    "setting.target_retention": "نرخ نگهداشت ماهانهٔ هدف (حداقل)",
    "setting.target_renewal": "نرخ تمدید هدف (حداقل)",
    "chart.churn_trend": "ریزش و نگهداشت مشتری به تفکیک ماه",
    "series.churn": "نرخ ریزش",
    "series.retention": "نرخ نگهداشت",

    # ------------------------------------------------------------ data sheets (sheet.<Table>)
    "sheet.Months": "ماه‌ها",
    "sheet.Subscriptions": "اشتراک‌ها",
    "sheet.Accounts": "حساب‌ها",
    "sheet.Responses": "پاسخ‌های نظرسنجی",
    "sheet.EmployeeSurvey": "نظرسنجی کارکنان",
    "sheet.Tickets": "تیکت‌ها",
    "sheet.Complaints": "شکایت‌ها",
    "sheet.Health": "سلامت مشتری",
    "sheet.Finance": "مالی",
    "sheet.Campaigns": "کمپین‌ها",

    # ------------------------------------------------------------ column headers (col.<Table>.<column>)
    "col.Months.month": "ماه",
    "col.Months.customers_start": "مشتریان ابتدای ماه",
    "col.Months.customers_new": "مشتریان جدید",
    "col.Months.customers_lost": "مشتریان ازدست‌رفته",
    "col.Months.customers_end": "مشتریان پایان ماه",
    "col.Months.renewals_due": "تمدیدهای سررسیدشده",
    "col.Months.renewals": "تمدیدها",
    "col.Months.churn_rate": "نرخ ریزش",
    "col.Months.retention_rate": "نرخ نگهداشت",

    "col.Subscriptions.customer_id": "شناسهٔ مشتری",
    "col.Subscriptions.month": "ماه",
    "col.Subscriptions.mrr": "درآمد ماهانهٔ تکرارشونده (MRR)",
    "col.Subscriptions.plan": "طرح",

    "col.Accounts.customer_id": "شناسهٔ مشتری",
    "col.Accounts.previous_mrr": "MRR دورهٔ قبل",
    "col.Accounts.current_mrr": "MRR دورهٔ جاری",
    "col.Accounts.plan": "طرح",

    "col.Responses.submitted_at": "تاریخ پاسخ",
    "col.Responses.customer_id": "شناسهٔ مشتری",
    "col.Responses.nps_score": "امتیاز NPS",
    "col.Responses.csat_score": "امتیاز CSAT",
    "col.Responses.ces_score": "امتیاز CES",
    "col.Responses.comment": "نظر مشتری",

    "col.EmployeeSurvey.submitted_at": "تاریخ پاسخ",
    "col.EmployeeSurvey.team": "تیم",
    "col.EmployeeSurvey.enps_score": "امتیاز eNPS",

    "col.Tickets.ticket_id": "شناسهٔ تیکت",
    "col.Tickets.customer_id": "شناسهٔ مشتری",
    "col.Tickets.channel": "کانال",
    "col.Tickets.priority": "اولویت",
    "col.Tickets.opened_at": "زمان ثبت",
    "col.Tickets.first_response_at": "زمان نخستین پاسخ",
    "col.Tickets.resolved_at": "زمان حل",

    "col.Complaints.complaint_id": "شناسهٔ شکایت",
    "col.Complaints.customer_id": "شناسهٔ مشتری",
    "col.Complaints.received_at": "تاریخ دریافت",
    "col.Complaints.category": "دسته",
    "col.Complaints.status": "وضعیت",

    "col.Health.customer_id": "شناسهٔ مشتری",
    "col.Health.usage": "استفاده از محصول",
    "col.Health.support": "پشتیبانی",
    "col.Health.nps": "رضایت (NPS)",
    "col.Health.payment": "پرداخت",
    "col.Health.health_score": "امتیاز سلامت مشتری",
    "col.Health.health_status": "وضعیت سلامت مشتری",

    "col.Finance.month": "ماه",
    "col.Finance.customers_start": "مشتریان ابتدای ماه",
    "col.Finance.customers_new": "مشتریان جدید",
    "col.Finance.customers_lost": "مشتریان ازدست‌رفته",
    "col.Finance.revenue": "درآمد",
    "col.Finance.gross_margin": "حاشیهٔ سود ناخالص",
    "col.Finance.sales_marketing_spend": "هزینهٔ فروش و بازاریابی",
    "col.Finance.retention_costs": "هزینهٔ نگهداشت مشتری",
    "col.Finance.operating_cash_flow": "جریان نقد عملیاتی",
    "col.Finance.investments": "سرمایه‌گذاری‌ها",
    "col.Finance.working_capital_increase": "افزایش سرمایهٔ در گردش",

    "col.Campaigns.campaign": "کمپین",
    "col.Campaigns.channel": "کانال",
    "col.Campaigns.visits": "بازدیدها",
    "col.Campaigns.direct_visits": "بازدیدهای مستقیم",
    "col.Campaigns.pageviews": "بازدید صفحه‌ها",
    "col.Campaigns.leads": "سرنخ‌ها",
    "col.Campaigns.opportunities": "فرصت‌های فروش",
    "col.Campaigns.conversions": "تبدیل‌ها",
    "col.Campaigns.referred_leads": "سرنخ‌های معرفی‌شده",
    "col.Campaigns.invites_converted": "دعوت‌های پذیرفته‌شده",
    "col.Campaigns.carts_created": "سبدهای خرید ایجادشده",
    "col.Campaigns.orders_completed": "سفارش‌های تکمیل‌شده",
    "col.Campaigns.cost": "هزینه",
    "col.Campaigns.revenue": "درآمد",
    "col.Campaigns.roi": "بازده سرمایه (ROI)",
}
