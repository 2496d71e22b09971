"""Arabic (ar) texts and number formats of the report workbooks.

Same keys as ``STRINGS["en"]`` in :mod:`xl_cskpi.reports.i18n`, plus Arabic sheet names and column
headers of the data tables (``sheet.<Table>``, ``col.<Table>.<column>``). Business terms are the ones
Arabic customer-experience and finance teams use (معدل الاحتفاظ بالعملاء, صافي نقاط الترويج,
قيمة عمر العميل); the well-known acronyms (NPS, CSAT, MRR, ...) follow in parentheses.

Arabic letters throughout: ي and ك (never the Persian ی and ک), Arabic-Indic digits in running
text. Numbers in cells keep Latin digits in their formats: Excel and LibreOffice show Arabic-Indic
digits where the system's digit substitution asks for them, and the values stay numbers.

Money reads «ر.س» (Saudi riyal, the country whose Umm al-Qura calendar the reports bucket by);
:data:`MONEY_FORMATS` has other Gulf and Egyptian variants and a plain one (assign one to
``NUMBER_FORMATS["money"]`` to switch; amounts are never converted).
"""

from __future__ import annotations

#: Money formats by currency (the amounts themselves are never converted).
MONEY_FORMATS = {
    "SAR": '#,##0 "ر.س"',
    "AED": '#,##0 "د.إ"',
    "KWD": '#,##0.000 "د.ك"',
    "EGP": '#,##0 "ج.م"',
    "plain": "#,##0",
}

#: Overrides of ``NUMBER_FORMATS["en"]``; kinds not listed here keep the English format.
NUMBER_FORMATS = {
    "money": MONEY_FORMATS["SAR"],
    "ratio": '0.0"×"',
    "months": '0.0" شهر"',
    "days": '0.0" يوم"',
    "hours": '0.0" ساعة"',
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "month": "mm/yyyy",
}

STRINGS = {
    # ------------------------------------------------------------ sheets and common labels
    "sheet.instructions": "التعليمات",
    "sheet.settings": "الإعدادات",
    "sheet.dashboard": "لوحة المؤشرات",
    "label.kpi": "مؤشر الأداء الرئيسي",
    "label.value": "القيمة",
    "label.target": "المستهدف",
    "label.status": "الحالة",
    "label.setting": "الإعداد",
    "label.note": "ماذا يعني",
    "status.on": "ضمن المستهدف",
    "status.watch": "تحت المراقبة",
    "status.off": "خارج المستهدف",
    "setting.amber_band": "النطاق الأصفر (نسبة من المستهدف يظهر المؤشر ضمنها باللون الأصفر)",
    "instructions.how": "طريقة استخدام هذا المصنف",
    "instructions.1": "١. الصق البيانات المصدَّرة من أنظمتك في أوراق البيانات ({sheets}) أسفل صف العناوين، "
                      "أو شغّل الأمر 'xl-cskpi report {report} --data FILE... -o OUT.xlsx'. "
                      "تتوسع الجداول تلقائيًا عند اللصق.",
    "instructions.2": "٢. لا تغيّر أسماء الأعمدة في صف العناوين؛ ضع أعمدتك الإضافية بعد آخر عمود في الجدول.",
    "instructions.3": "٣. حدّد المستهدفات في ورقة «{settings}». يظهر المؤشر باللون الأخضر عند بلوغ المستهدف، "
                      "وبالأصفر ضمن النطاق الأصفر، وبالأحمر خارجه.",
    "instructions.4": "٤. تستدعي خلايا المؤشرات دوال Excel من xl_cskpi (ثبّت الوظيفة الإضافية: "
                      "'pip install xl_cskpi' وراجع ملف README). بدون الوظيفة الإضافية تظهر ‎#NAME?‎؛ "
                      "ويكتب الأمر 'xl-cskpi report ... --values' القيم المحسوبة بدلًا من الصيغ.",
    "instructions.5": "٥. الدوال المستخدمة في هذا المصنف: {functions}.",
    "instructions.tables": "جداول البيانات وأعمدتها",
    "instructions.generated": "أُنشئ بواسطة xl_cskpi الإصدار {version}؛ لإعادة الإنشاء: "
                              "'xl-cskpi templates --lang ar'.",

    # ------------------------------------------------------------ churn & retention
    "report.churn_retention.title": "تسرب العملاء والاحتفاظ بهم",
    "report.churn_retention.intro": "معدلات تسرب العملاء والاحتفاظ بهم والتجديد حسب الشهر، من الأعداد "
                                    "الشهرية للعملاء (ملخص مصدَّر من نظام الفوترة أو إدارة علاقات العملاء CRM).",
    "kpi.churn_rate": "معدل تسرب العملاء (آخر شهر)",
    "kpi.retention_rate": "معدل الاحتفاظ بالعملاء (آخر شهر)",
    "kpi.renewal_rate": "معدل التجديد (جميع الأشهر)",
    "kpi.customers_end": "العملاء النشطون (نهاية آخر شهر)",
    "setting.target_churn": "معدل التسرب الشهري المستهدف (حد أقصى)",
    "setting.target_retention": "معدل الاحتفاظ الشهري المستهدف (حد أدنى)",
    "setting.target_renewal": "معدل التجديد المستهدف (حد أدنى)",
    "chart.churn_trend": "تسرب العملاء والاحتفاظ بهم حسب الشهر",
    "series.churn": "معدل التسرب",
    "series.retention": "معدل الاحتفاظ",

    # ------------------------------------------------------------ data sheets (sheet.<Table>)
    "sheet.Months": "الأشهر",
    "sheet.Subscriptions": "الاشتراكات",
    "sheet.Accounts": "الحسابات",
    "sheet.Responses": "ردود الاستبيان",
    "sheet.EmployeeSurvey": "استبيان الموظفين",
    "sheet.Tickets": "التذاكر",
    "sheet.Complaints": "الشكاوى",
    "sheet.Health": "صحة العملاء",
    "sheet.Finance": "المالية",
    "sheet.Campaigns": "الحملات",

    # ------------------------------------------------------------ column headers (col.<Table>.<column>)
    "col.Months.month": "الشهر",
    "col.Months.customers_start": "العملاء في بداية الشهر",
    "col.Months.customers_new": "العملاء الجدد",
    "col.Months.customers_lost": "العملاء المفقودون",
    "col.Months.customers_end": "العملاء في نهاية الشهر",
    "col.Months.renewals_due": "التجديدات المستحقة",
    "col.Months.renewals": "التجديدات",
    "col.Months.churn_rate": "معدل التسرب",
    "col.Months.retention_rate": "معدل الاحتفاظ",

    "col.Subscriptions.customer_id": "معرّف العميل",
    "col.Subscriptions.month": "الشهر",
    "col.Subscriptions.mrr": "الإيراد الشهري المتكرر (MRR)",
    "col.Subscriptions.plan": "الباقة",

    "col.Accounts.customer_id": "معرّف العميل",
    "col.Accounts.previous_mrr": "MRR السابق",
    "col.Accounts.current_mrr": "MRR الحالي",
    "col.Accounts.plan": "الباقة",

    "col.Responses.submitted_at": "تاريخ الرد",
    "col.Responses.customer_id": "معرّف العميل",
    "col.Responses.nps_score": "درجة NPS",
    "col.Responses.csat_score": "درجة CSAT",
    "col.Responses.ces_score": "درجة CES",
    "col.Responses.comment": "تعليق العميل",

    "col.EmployeeSurvey.submitted_at": "تاريخ الرد",
    "col.EmployeeSurvey.team": "الفريق",
    "col.EmployeeSurvey.enps_score": "درجة eNPS",

    "col.Tickets.ticket_id": "رقم التذكرة",
    "col.Tickets.customer_id": "معرّف العميل",
    "col.Tickets.channel": "القناة",
    "col.Tickets.priority": "الأولوية",
    "col.Tickets.opened_at": "وقت الفتح",
    "col.Tickets.first_response_at": "وقت أول رد",
    "col.Tickets.resolved_at": "وقت الحل",

    "col.Complaints.complaint_id": "رقم الشكوى",
    "col.Complaints.customer_id": "معرّف العميل",
    "col.Complaints.received_at": "تاريخ الاستلام",
    "col.Complaints.category": "الفئة",
    "col.Complaints.status": "الحالة",

    "col.Health.customer_id": "معرّف العميل",
    "col.Health.usage": "استخدام المنتج",
    "col.Health.support": "الدعم",
    "col.Health.nps": "الرضا (NPS)",
    "col.Health.payment": "السداد",
    "col.Health.health_score": "درجة صحة العميل",
    "col.Health.health_status": "حالة صحة العميل",

    "col.Finance.month": "الشهر",
    "col.Finance.customers_start": "العملاء في بداية الشهر",
    "col.Finance.customers_new": "العملاء الجدد",
    "col.Finance.customers_lost": "العملاء المفقودون",
    "col.Finance.revenue": "الإيرادات",
    "col.Finance.gross_margin": "هامش الربح الإجمالي",
    "col.Finance.sales_marketing_spend": "إنفاق المبيعات والتسويق",
    "col.Finance.retention_costs": "تكاليف الاحتفاظ بالعملاء",
    "col.Finance.operating_cash_flow": "التدفق النقدي التشغيلي",
    "col.Finance.investments": "الاستثمارات",
    "col.Finance.working_capital_increase": "الزيادة في رأس المال العامل",

    "col.Campaigns.campaign": "الحملة",
    "col.Campaigns.channel": "القناة",
    "col.Campaigns.visits": "الزيارات",
    "col.Campaigns.direct_visits": "الزيارات المباشرة",
    "col.Campaigns.pageviews": "مشاهدات الصفحات",
    "col.Campaigns.leads": "العملاء المحتملون",
    "col.Campaigns.opportunities": "فرص البيع",
    "col.Campaigns.conversions": "التحويلات",
    "col.Campaigns.referred_leads": "العملاء المحتملون بالإحالة",
    "col.Campaigns.invites_converted": "الدعوات المقبولة",
    "col.Campaigns.carts_created": "سلال التسوق المنشأة",
    "col.Campaigns.orders_completed": "الطلبات المكتملة",
    "col.Campaigns.cost": "التكلفة",
    "col.Campaigns.revenue": "الإيرادات",
    "col.Campaigns.roi": "العائد على الاستثمار (ROI)",
}
