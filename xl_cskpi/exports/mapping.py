"""Which export feeds which table, column by column; ``--map``, ``--map-file`` and ``inspect``.

:func:`match` takes the DataFrames of the files a user gave and the tables a report can use, and
returns an :class:`Assignment` per table a file feeds: the file, ``{field: header as written}`` and
the source profile it was read as. The rules, in order:

1. ``--map FIELD=HEADER`` / ``--map Table.FIELD=HEADER`` (``ReadOptions.columns``) overrides every
   other rule; a mapped header that is in no file is an :class:`ExportError`.
2. A file whose headers carry a profile's signature (Stripe, Zendesk, Typeform, ...,
   :mod:`xl_cskpi.exports.profiles`) is read with that profile's headers first.
3. Then each column's key, aliases and translated headers in every language (the generic profile),
   all compared after :func:`xl_cskpi.exports.headers.normalise`; then the same for headers whose
   trailing unit in brackets is dropped (``MRR ($)``, ``Created (UTC)``, ``مبلغ (تومان)``).
4. Survey tables: the 0-10 question is found by its wording first, its values second
   (:func:`_score_field`): a column whose header asks the recommend question is the question even when
   its answers are labels (``10 - Extremely likely``, read as 10) or partly not answered (blanks), and
   then no other column is taken for it by its values (reviewer's H1, session 6); values alone
   (:func:`~xl_cskpi.exports.profiles.score_columns`) never take a row counter or an id, count,
   tenure, age or seats column, and count only in a survey export. Two candidate columns and no wording
   to choose between them is an :class:`ExportError` asking for ``--map nps_score=HEADER``, never a guess.
   In a survey export, a 1-5 satisfaction question (CSAT) and a 1-7 effort question (CES) are found
   by wording and values together (:func:`~xl_cskpi.exports.profiles.scale_columns`); two such
   columns for one field map neither. One free-text "why?" question is the comment.

A file whose profile is detected feeds only that profile's tables (a Stripe export is never read as
tickets). A file goes to the table it fits best: a ``--map`` hit first, then the profile's signature, then all
required fields present, then the share of required fields present, then the file's name
(``tickets.csv`` -> Tickets), then the number of mapped columns. Each file feeds at most one table.
A table takes one file, or several files of the same export (same profile, same fields mapped: a
folder of monthly exports), combined with their rows appended in file order
(:mod:`xl_cskpi.exports.combine`; ``files_combined`` info); two files that fit one table otherwise
are an :class:`ExportError` naming both.

* Every column of a used file that feeds nothing is an ``info`` finding ``column_ignored``.
* A workbook is read sheet by sheet (:func:`_sheets`): when two or more of its visible sheets fit a
  table, each is an export of its own, ``book.xlsx, sheet 'Tickets'``; hidden sheets are not read.
  Two sheets are one export only with the same headers; a summary sheet beside the data sheet of its
  table (``Date, NPS, Responses``) is not read (:func:`_summaries`), other sheets are refused.
* A file that fits no table is a ``warning`` finding ``file_skipped`` naming it; the run goes on.
  A file that fits a table another file already feeds is combined with it, or refused (above).
* A ``--map`` entry for a field of a table this run does not use is not checked against the files
  (a map file can serve several reports); one for a field of no table is an error.

``--map``/``--map-file`` parsing lives in :mod:`xl_cskpi.exports.mapfile`, ``inspect`` in
:mod:`xl_cskpi.exports.inspection` (both re-exported here).

Findings and their ``fields`` (for translated data-check lines, ``t(f"check.{code}", **fields)``):
``profile_detected`` {profile, title}; ``column_ignored`` {column, table}; ``column_mapped``
{field, table}; ``header_row_skipped`` {};
``file_skipped`` {tables, closest, missing} (strings); ``files_combined`` {table, count, files};
``sheets_unread`` {sheets, read} (a workbook's sheets that feed nothing, :func:`_sheets`);
``coalesced`` {field, columns}; ``column_undecided`` (warning) {field, columns};
``amounts_cents`` (warning) {column, examples}; ``score_labels`` {column, labels};
``score_non_answers`` {column, count, values, row}.

Two exports need their cells changed before typing, and :func:`match` does it by replacing the
file's entry in ``frames`` (the caller types the frame it finds there afterwards): SurveyMonkey's
second header row is removed, and a field a profile reads from the first filled of several
columns gets that column (``Profile.coalesce``: Paddle's paying start). Amounts a profile gives in
cents (``Profile.minor_units``, Paddle) are left as written: the pipeline divides them when it
types the column.
* A table no file fits stays absent (the report says so).
* A file that clearly aims at a table (its profile is detected, a ``--map`` names one of its
  headers, or more than half of the table's required fields are present) but misses a required
  field is an :class:`ExportError` in the report's language: it names the missing fields (translated
  header and key), lists close headers of the file (difflib), and suggests ``--map FIELD=HEADER`` and,
  when the headers look Persian or Arabic and the report is English, ``--lang fa`` or ``--lang ar``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from ..reports.spec import Table
from .check import DataCheck, ExportError, ReadOptions
from .frames import (LABEL_SUFFIX, QUALTRICS_NOT_ANSWERS, _cents_check, _coalesce, _combine,  # noqa: F401
                     _fixed, _label_column, _qualtrics_rows, _same_export)
from .headers import normalise, script_language
from .profiles import (EXTRA_FIELDS, PROFILES, REQUIRED_ANY, Profile, ScoreColumn, detect,
                       comment_columns, employee_wording, generic_names, nps_wording, scale_columns,
                       score_columns, score_misfit, scale_worded, SCALES, label_scores)
from .questions import Answers, asks_recommend, read_score_column, score_header

__all__ = ["Assignment", "match", "parse_map", "read_map_file", "inspect", "format_inspect",
           "all_tables", "MESSAGES"]


@dataclass
class Assignment:
    """One file feeding one table.

    * ``columns`` -- ``{field: header as written in the file}``; fields are the table's input
      column keys and, for profiles that give durations, the extra fields of
      :data:`xl_cskpi.exports.profiles.EXTRA_FIELDS` (``Tickets.first_reply_minutes``: the pipeline
      computes ``first_response_at = opened_at + minutes``, see ``profiles.DERIVED``).
    * ``profile`` -- the profile name (``stripe``, ``zendesk``, ...) or None (generic headers).
    * ``skip_rows`` -- index labels of rows that are not data (SurveyMonkey's second header row);
      :func:`match` has already removed them from the frame it was given (``frames[path]`` is
      replaced by the frame without them).
    """

    table: Table
    path: Path
    columns: dict[str, str]
    profile: str | None = None
    skip_rows: tuple = ()

    @property
    def ignored(self) -> list[str]:
        used = set(self.columns.values())
        used |= {part for h in used if " / " in h for part in h.split(" / ")}
        used |= {h[: -len(LABEL_SUFFIX)] for h in used if h.endswith(LABEL_SUFFIX)}   # words read as 1-5
        return [h for h in self._headers if h not in used]

    _headers: tuple = field(default=(), repr=False, compare=False)


# --------------------------------------------------------------------------- messages (en/fa/ar)

#: The messages of this module in the report's language (``{placeholders}`` filled by ``.format``).
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "missing": "{file}: looks like {what} for table {table}, but has no column for {missing}. "
                   "Close headers in the file: {close}. Map a header with --map FIELD=HEADER "
                   "(e.g. --map {example}){lang}",
        "lang": ", or, as the headers look {language}, run with --lang {code}",
        "ambiguous": "{file}: {n} columns could be the 0-10 '{question}' question: {columns}; "
                     "pick one with --map {field}=HEADER",
        "not_found": "--map {key}={header}: no file given has a column {header!r}; the headers are: "
                     "{headers}",
        "unknown_field": "--map {key}={header}: no table has a field {field!r}; use one of: {fields}",
        "an_export": "an export",
        "none": "none",
        "or": " or ",
        "single": "; the file reads as a single column: separate its cells with commas, semicolons, "
                  "tabs or |",
        "nps": "how likely are you to recommend",
        "enps": "how likely are you to recommend working here",
    },
    "fa": {
        "missing": "{file}: به نظر {what} برای جدول {table} است، اما ستونی برای {missing} ندارد. "
                   "سرستون‌های نزدیک در فایل: {close}. سرستون را با ‎--map FIELD=HEADER‎ نگاشت کنید "
                   "(مثلاً ‎--map {example}‎){lang}",
        "lang": "",
        "ambiguous": "{file}: {n} ستون می‌توانند پرسش ۰ تا ۱۰ «{question}» باشند: {columns}؛ "
                     "یکی را با ‎--map {field}=HEADER‎ انتخاب کنید",
        "not_found": "‎--map {key}={header}‎: هیچ‌یک از فایل‌ها ستون {header!r} ندارد؛ سرستون‌ها: {headers}",
        "unknown_field": "‎--map {key}={header}‎: هیچ جدولی فیلد {field!r} ندارد؛ یکی از این‌ها را به کار "
                         "ببرید: {fields}",
        "an_export": "یک خروجی",
        "none": "هیچ",
        "or": " یا ",
        "single": "؛ فایل تنها یک ستون خوانده می‌شود: خانه‌ها را با ویرگول، نقطه‌ویرگول، تب یا | جدا کنید",
        "nps": "چقدر احتمال دارد ما را توصیه کنید",
        "enps": "چقدر احتمال دارد کار در اینجا را توصیه کنید",
    },
    "ar": {
        "missing": "{file}: يبدو أنه {what} للجدول {table}، لكن لا يوجد فيه عمود لـ {missing}. "
                   "عناوين قريبة في الملف: {close}. اربط عنوانًا باستخدام ‎--map FIELD=HEADER‎ "
                   "(مثلًا ‎--map {example}‎){lang}",
        "lang": "",
        "ambiguous": "{file}: يمكن أن يكون {n} أعمدة سؤال 0-10 «{question}»: {columns}؛ "
                     "اختر واحدًا باستخدام ‎--map {field}=HEADER‎",
        "not_found": "‎--map {key}={header}‎: لا يوجد في أي ملف عمود {header!r}؛ العناوين هي: {headers}",
        "unknown_field": "‎--map {key}={header}‎: لا يوجد جدول فيه الحقل {field!r}؛ استخدم أحد: {fields}",
        "an_export": "ملف تصدير",
        "none": "لا شيء",
        "or": " أو ",
        "single": "؛ يُقرأ الملف عمودًا واحدًا: افصل خلاياه بفواصل أو فواصل منقوطة أو علامات جدولة أو |",
        "nps": "ما مدى احتمال أن توصي بنا",
        "enps": "ما مدى احتمال أن توصي بالعمل هنا",
    },
}

_LANGUAGE_NAMES = {"fa": "Persian", "ar": "Arabic"}


def _msg(_lang: str, _key: str, **fields: Any) -> str:
    table = MESSAGES.get(_lang, MESSAGES["en"])
    return (table.get(_key) or MESSAGES["en"][_key]).format(**fields)


# --------------------------------------------------------------------------- tables and names

def all_tables() -> list[Table]:
    """Every data table a report can have, and the Billing source table."""
    from ..reports.specs import tables as T

    return [T.MONTHS, T.SUBSCRIPTIONS, T.ACCOUNTS, T.RESPONSES, T.EMPLOYEES, T.TICKETS, T.COMPLAINTS,
            T.HEALTH, T.FINANCE, T.CAMPAIGNS, T.CUSTOMERS, T.RATES, T.BILLING]


def _fields(table: Table) -> list[str]:
    return [c.key for c in table.inputs] + list(EXTRA_FIELDS.get(table.name, ()))


def _required(table: Table) -> list[str]:
    return [c.key for c in table.inputs if c.required]


#: File-name words that point at a table (after normalise; matched as whole words of the stem).
_NAME_HINTS: dict[str, tuple[str, ...]] = {
    "Months": ("months", "month", "monthly", "customers"),
    "Subscriptions": ("subscriptions", "mrr"),
    "Accounts": ("accounts", "account"),
    "Responses": ("responses", "survey", "surveys", "nps", "feedback", "csat"),
    "EmployeeSurvey": ("employeesurvey", "employee", "employees", "enps", "staff", "pulse", "کارکنان",
                       "موظفین", "الموظفین"),
    "Tickets": ("tickets", "ticket", "support", "conversations", "helpdesk", "zendesk", "freshdesk",
                "intercom", "تیکت", "تیکتها", "التذاکر"),
    "ComplaintLog": ("complaintlog", "complaints", "complaint", "شکایات", "شکایتها", "الشکاوی"),
    "Health": ("health", "healthscores"),
    "Finance": ("finance", "financials", "pnl"),
    "Campaigns": ("campaigns", "campaign", "marketing"),
    "Billing": ("billing", "subscriptions", "invoices", "transactions", "stripe", "chargebee", "paddle"),
}


#: ``multi.xlsx, sheet 'Tickets'`` (:func:`xl_cskpi.exports.read.sheet_label`): a sheet read as a file.
_SHEET_OF = re.compile(r""", sheet (['"])(.*)\1$""")


def _name_hit(path: Path, table: Table) -> bool:
    """The file's name (or a sheet's, for a sheet of a workbook read as its own export) names ``table``."""
    m = _SHEET_OF.search(path.name)
    stems = [Path(path.name[: m.start()]).stem, m.group(2)] if m else [path.stem]
    words: set[str] = set()
    for stem in stems:
        words |= set(normalise(stem).split("_")) | {normalise(stem).replace("_", "")}
    hints = {normalise(table.name)} | set(_NAME_HINTS.get(table.name, ()))
    return bool(words & hints)


# --------------------------------------------------------------------------- one file, one table

@dataclass
class _Fit:
    table: Table
    path: Path
    columns: dict[str, str]
    profile: Profile | None
    missing: list[str]
    score: tuple
    aims: bool
    ambiguous: list[str] = field(default_factory=list)   # candidate headers of an undecided score column
    ambiguous_field: str = ""
    undecided: dict = field(default_factory=dict)          # optional field -> candidate headers
    duplicates: dict = field(default_factory=dict)         # field -> [header used, other headers naming it]
    why: str = ""                                          # why a worded 0-10 question did not qualify
    why_column: str = ""                                   # ... and which column it is

    @property
    def complete(self) -> bool:
        return not self.missing and not self.ambiguous


class _File:
    """One export with what is known of it: headers, their normalised forms, profile, score columns."""

    def __init__(self, key: Any, df: pd.DataFrame, options: ReadOptions, needs_scores: bool):
        self.key = key
        self.path = Path(key)
        self.df = df
        self.headers = [str(h) for h in df.columns]
        self.norm: dict[str, str] = {}
        for h in self.headers:
            self.norm.setdefault(normalise(h), h)
        self.skip_rows: tuple = ()
        self.profile = detect(self.headers, has_score=False, force=options.profile)
        if self.profile is not None and self.profile.header_rows == 2:
            self._drop_second_header()
        self._scores: list[ScoreColumn] | None = None
        self._worded: list[ScoreColumn] | None = None
        self._asked: list[tuple[str, Answers]] | None = None
        self.needs_scores = needs_scores
        if self.profile is None and needs_scores and any(p.needs_score and p.signature_in(set(self.norm))
                                                         for p in PROFILES.values()):
            # a weak signature ("Timestamp") needs a 0-10 question that says "recommend" (its answers
            # may be labels, or some not answered)
            self.profile = detect(self.headers, has_score=any(s.wording for s in self.worded_scores)
                                  or any(nps_wording(h) for h, _ in self.asked))

    def _drop_second_header(self) -> None:
        """SurveyMonkey writes answer labels ("Response", "Open-Ended Response") in a second header
        row whose respondent-id cell is blank: that row is not data."""
        df = self.df
        if len(df) == 0:
            return
        first = df.iloc[0]
        id_header = self.norm.get(normalise(self.profile.signature[0])) if self.profile.signature else None
        if id_header is not None and (first[id_header] is None or str(first[id_header]).strip() in ("", "nan")):
            self.skip_rows = (df.index[0],)
            self.df = df.drop(index=df.index[0])

    @property
    def scores(self) -> list[ScoreColumn]:
        """Every 0-10 column of the file (read once, on first use)."""
        if self._scores is None:
            self._scores = score_columns(self.df)
        return self._scores

    @property
    def worded_scores(self) -> list[ScoreColumn]:
        """The 0-10 columns whose header says "recommend" (only those columns are read)."""
        if self._scores is not None:
            return [s for s in self._scores if s.wording or s.employee]
        if self._worded is None:
            cols = [h for h in self.df.columns if nps_wording(h) or employee_wording(h)]
            self._worded = [s for s in score_columns(self.df[cols]) if s.wording or s.employee] if cols else []
        return self._worded

    @property
    def asked(self) -> list[tuple[str, Answers]]:
        """The columns whose header asks the recommend question and which hold a 0-10 question's answers,
        whether or not they qualify as score columns (:func:`~xl_cskpi.exports.questions.asks_recommend`)."""
        if self._asked is None:
            self._asked = asks_recommend(self.df)
        return self._asked


#: A trailing unit, currency or time zone in brackets, dropped for a second look at a header.
_UNIT_SUFFIX = re.compile(r"\s*[(\[][^()\[\]]{1,12}[)\]]\s*$")


def _user_columns(options: ReadOptions, table: Table) -> dict[str, str]:
    """``--map`` entries for ``table``: ``{field: header}`` (``Table.field`` beats ``field``)."""
    out: dict[str, str] = {}
    fields = set(_fields(table))
    for key, header in options.columns.items():
        tname, _, fld = key.rpartition(".")
        if fld in fields and not tname:
            out.setdefault(fld, header)
    for key, header in options.columns.items():
        tname, _, fld = key.rpartition(".")
        if fld in fields and normalise(tname) == normalise(table.name):
            out[fld] = header
    return out


def _fit(table: Table, f: _File, options: ReadOptions, tables: Sequence[Table]) -> _Fit:
    cols: dict[str, str] = {}
    used: set[str] = set()

    def take(fld: str, header: str | None) -> bool:
        if header is None or header in used or fld in cols:
            return False
        cols[fld] = header
        used.add(header)
        return True

    overrides = 0
    for fld, header in _user_columns(options, table).items():
        if take(fld, f.norm.get(normalise(header))):
            overrides += 1
    profile = f.profile if f.profile is not None and table.name in f.profile.fields else None
    if profile is not None:
        for fld, names in profile.coalesce.get(table.name, {}).items():
            present = [f.norm[normalise(n)] for n in names if normalise(n) in f.norm]
            if fld not in cols and present:
                cols[fld] = " / ".join(present) if len(present) > 1 else present[0]
        for fld, names in profile.fields[table.name].items():
            for n in names:
                if take(fld, f.norm.get(normalise(n))):
                    break
        for fld, (header, _) in profile.fixed.get(table.name, {}).items():
            if fld not in cols and header not in f.df.columns:
                cols[fld] = header
    names = generic_names(table, options.lang)
    for nh, fld in names.items():
        take(fld, f.norm.get(nh))
    # then headers with a unit or time zone in brackets: "MRR ($)", "Created (UTC)", "Amount [USD]"
    for h in f.headers:
        bare = _UNIT_SUFFIX.sub("", h)
        if bare != h and h not in used:
            fld = names.get(normalise(bare))
            if fld is not None:
                take(fld, h)

    # two spellings of one field in a file without a profile ("Customers at start" and
    # "customers_start"): the first is read, and the data check names both (never a quiet pick)
    duplicates: dict[str, list[str]] = {}
    if profile is None:
        chosen_by_user = set(_user_columns(options, table))
        for h in f.headers:
            fld = names.get(normalise(h)) or names.get(normalise(_UNIT_SUFFIX.sub("", h)))
            if fld is not None and h not in used and cols.get(fld) not in (None, h) \
                    and fld not in chosen_by_user:
                duplicates.setdefault(fld, [cols[fld]]).append(h)

    ambiguous: list[str] = []
    amb_field = ""
    undecided: dict[str, list[str]] = {}
    unread = None      # the recommend question, mapped as it is only when the file feeds the table anyway
    score_fld = "nps_score" if table.name == "Responses" else "enps_score"
    if table.name in ("Responses", "EmployeeSurvey") and f.needs_scores and score_fld not in cols:
        unread = _score_field(table, f, tables, used, take, score_fld, ambiguous)
        if ambiguous:
            amb_field = score_fld
        if unread is not None:
            used.add(unread)      # no CSAT, CES or comment either

    if table.name == "Responses" and f.needs_scores and (
            (f.profile is not None and f.profile.kind == "surveys") or _name_hit(f.path, table)):
        for fld, heads in scale_columns(f.df[[h for h in f.headers if h not in used]]).items():
            if fld not in cols and len(heads) == 1:
                take(fld, heads[0])
            elif fld not in cols:
                undecided[fld] = heads
        if "csat_score" not in cols and "csat_score" not in undecided:
            # a satisfaction question answered in words: read as 1..5 (a column added by match)
            worded = [h for h in f.headers if h not in used and SCALES["csat_score"][2].search(normalise(h))
                      and label_scores(f.df[h]) is not None]
            if len(worded) == 1:
                cols["csat_score"] = f"{worded[0]}{LABEL_SUFFIX}"
                used.add(worded[0])
        if "comment" not in cols:
            texts = comment_columns(f.df[[h for h in f.headers if h not in used]])
            if len(texts) == 1:
                take("comment", texts[0])

    if unread is not None:
        used.discard(unread)
    if unread is not None and score_fld not in cols and (table.name not in REQUIRED_ANY or any(
            g in cols for g in REQUIRED_ANY[table.name])):
        # a recommend question one of whose answers no reading fixes (a stray 11, "maybe"), in a file that
        # feeds the table with another score: mapped as it is, so the report names the answer (never
        # another column, never an NPS silently left out); alone, the misfit message below names it
        take(score_fld, unread)
    required = _required(table)
    missing = [k for k in required if k not in cols]
    if f.profile is not None and f.profile.fields and profile is None and not overrides:
        # a recognised export of another kind (a Stripe file in a support report) feeds no table of
        # this kind, however its headers happen to read ("id", "Created (UTC)" are not tickets)
        missing = missing or [f"({f.profile.name})"]
    group = REQUIRED_ANY.get(table.name)
    if group and not any(g in cols for g in group):
        missing.append(group[0])
    n_req = len(required) + (1 if group else 0)
    present = n_req - len(missing)
    score = (overrides > 0, profile is not None, not missing and not ambiguous,
             present / n_req if n_req else 0.0, _name_hit(f.path, table), len(cols))
    aims = overrides > 0 or profile is not None or (n_req > 0 and 2 * present > n_req)
    if f.profile is not None and f.profile.fields and profile is None and not overrides:
        aims = False
    why = why_column = ""
    if table.name in ("Responses", "EmployeeSurvey") and group and not any(g in cols for g in group):
        survey = (f.profile is not None and f.profile.kind == "surveys") or _name_hit(f.path, table)
        why, why_column = score_misfit(f.df[[h for h in f.headers if h not in used]], any_header=survey)
    return _Fit(table, f.path, cols, profile, missing, score, aims, ambiguous, amb_field, undecided, duplicates,
                why, why_column)


def _score_field(table: Table, f: _File, tables: Sequence[Table], used: set[str], take: Any, fld: str,
                 ambiguous: list[str]) -> str | None:
    """Find the 0-10 question of a survey file for ``fld`` (``nps_score``, ``enps_score``) and ``take`` it;
    several candidates go to ``ambiguous``. Returns the header of a recommend question left unmapped
    because one of its answers no reading fixes (:func:`_fit` decides), else None. The rules, in order:

    1. a column whose header asks the recommend question (en/fa/ar) and whose values are a 0-10 scale;
    2. else a column whose header asks it and which holds a 0-10 question's answers, some of them labels
       (``10 - Extremely likely``: read as 10) or non-answers (``Not answered``: blank), all readable
       (:func:`~xl_cskpi.exports.questions.read_answers`; :func:`match` reads them with a data-check
       line, :func:`~xl_cskpi.exports.questions.read_score_column`). Such a column, readable or not,
       stops rule 3: the question is there, so no other column is taken for it (reviewer's H1,
       session 6: Hotjar's response ``Number``, a ``Tenure (years)`` field); when one of its answers
       no reading fixes, :func:`_fit` maps it as written if the file feeds the table with another
       score (the report names the answer), else the misfit message names it;
    3. else, by values alone (:func:`~xl_cskpi.exports.questions.score_columns`: no row counter, no
       id/number/count/tenure/years/age/seats header, no satisfaction or effort question), in a survey
       export: any such column of a file read with a survey profile; in a file recognised as a survey by
       its name only (``nps.csv``), a column whose header names a score, rating, likelihood or the NPS
       (:func:`~xl_cskpi.exports.questions.score_header`). A form without any of these has no NPS.
    """
    survey_profile = f.profile is not None and f.profile.kind == "surveys"
    survey_file = survey_profile or _name_hit(f.path, table)
    # a satisfaction or effort question on 1-10 is no 0-10 recommend question
    cands = [s for s in (f.scores if survey_file else f.worded_scores) if s.header not in used
             and (s.wording or s.employee or (not scale_worded(s.header)
                                             and (survey_profile or score_header(s.header))))]
    asked = [(h, a) for h, a in f.asked if h not in used]
    if table.name == "Responses":
        cands = [s for s in cands if not s.employee]
        asked = [(h, a) for h, a in asked if not employee_wording(h)]
    else:
        employee_file = _name_hit(f.path, table) or not any(t.name == "Responses" for t in tables)
        cands = [s for s in cands if s.employee or employee_file]
        asked = [(h, a) for h, a in asked if employee_wording(h) or employee_file]
    worded = [s.header for s in cands if s.wording or s.employee]
    if worded:
        pick = worded
    elif asked:
        if len(asked) > 1:
            pick = [h for h, _ in asked]
        elif asked[0][1].readable:
            pick = [asked[0][0]]
        else:
            return asked[0][0]
    else:
        pick = [s.header for s in cands]
    if len(pick) == 1:
        take(fld, pick[0])
    elif len(pick) > 1:
        ambiguous.extend(pick)
    return None


# --------------------------------------------------------------------------- messages for a misfit

def _names_of(table: Table, fld: str, lang: str, profile: Profile | None) -> list[str]:
    names = [n for n, k in generic_names(table, lang).items() if k == fld]
    if profile is not None:
        names += [normalise(h) for h in profile.fields.get(table.name, {}).get(fld, ())]
    return names


def _label(table: Table, fld: str, lang: str) -> str:
    from ..reports.i18n import translator

    text = translator(lang)(f"col.{table.name}.{fld}", default=fld)
    return fld if text == fld else f"{text} ({fld})"


def _misfit_message(fit: _Fit, f: _File, options: ReadOptions) -> str:
    lang = options.lang if options.lang in MESSAGES else "en"
    group = REQUIRED_ANY.get(fit.table.name, ())
    if fit.ambiguous and all(k in group for k in fit.missing):
        return _msg(lang, "ambiguous", file=f.path, n=len(fit.ambiguous),
                    question=_msg(lang, "enps" if fit.ambiguous_field == "enps_score" else "nps"),
                    columns=", ".join(repr(h) for h in fit.ambiguous), field=fit.ambiguous_field)
    labels = []
    for k in fit.missing:
        group = REQUIRED_ANY.get(fit.table.name, ())
        if k in group:
            labels.append(_msg(lang, "or").join(_label(fit.table, g, lang) for g in group))
        else:
            labels.append(_label(fit.table, k, lang))
    free = [h for h in f.headers if h not in set(fit.columns.values())]
    norm_free = {normalise(h): h for h in free}
    close: list[str] = []
    for k in fit.missing:
        names = _names_of(fit.table, k, lang, fit.profile)
        group = REQUIRED_ANY.get(fit.table.name, ())
        if k in group:
            names = [n for g in group for n in _names_of(fit.table, g, lang, fit.profile)]
        for n in names:
            for m in difflib.get_close_matches(n, list(norm_free), n=3, cutoff=0.6):
                if norm_free[m] not in close:
                    close.append(norm_free[m])
    close = close[:5]
    example_header = fit.why_column or (close[0] if close else (free[0] if free else "HEADER"))
    field_ = fit.missing[0]
    if field_ == "nps_score" and "csat_score" in group and example_header in f.df.columns:
        # a 1-5 (or 1-7) column offered as the NPS would read every satisfied answer as a detractor (reviewer's
        # L7, session 6: a Delighted CSAT export was told --map nps_score="Score"): offer it as CSAT
        cells = pd.Series(f.df[example_header].to_numpy()).dropna()
        values = pd.to_numeric(cells, errors="coerce")
        # every answer a number 1-7 (a label such as "10 - Extremely likely" is the 0-10 question's)
        if len(values) and values.notna().all() and values.min() >= 1 and values.max() <= 7:
            field_ = "csat_score"
    example = f'{field_}="{example_header}"'
    hint = ""
    script = script_language(f.headers)
    if lang == "en" and script in _LANGUAGE_NAMES:
        hint = _msg(lang, "lang", language=_LANGUAGE_NAMES[script], code=script)
    if len(f.headers) == 1 and len(fit.table.inputs) > 1:
        hint += _msg(lang, "single")
    what = (fit.profile.title if fit.profile is not None else _msg(lang, "an_export"))
    if fit.why:
        labels[-1] += f" ({fit.why})"
    return _msg(lang, "missing", file=f.path, what=what, table=fit.table.name, missing=", ".join(labels),
                close=", ".join(repr(h) for h in close) or _msg(lang, "none"), example=example, lang=hint)


def _check_user_map(options: ReadOptions, files: list[_File], tables: Sequence[Table],
                    headers: bool = True) -> None:
    lang = options.lang if options.lang in MESSAGES else "en"
    known = {t.name: set(_fields(t)) for t in all_tables()}
    every = set().union(*known.values())
    for key, header in options.columns.items():
        tname, _, fld = key.rpartition(".")
        ok = (fld in known.get(next((t for t in known if normalise(t) == normalise(tname)), ""), set())
              if tname else fld in every)
        if not ok:
            fields = sorted({f"{t.name}.{x}" for t in tables for x in _fields(t)})
            raise ExportError(_msg(lang, "unknown_field", key=key, header=header, field=key,
                                   fields=", ".join(fields)))
        in_run = any(fld in _fields(t) and (not tname or normalise(tname) == normalise(t.name)) for t in tables)
        if headers and in_run and not any(normalise(header) in f.norm for f in files):
            heads = sorted({h for f in files for h in f.headers})
            raise ExportError(_msg(lang, "not_found", key=key, header=header,
                                   headers=", ".join(repr(h) for h in heads[:40])
                                   + (" ..." if len(heads) > 40 else "")))


# --------------------------------------------------------------------------- match

def _files(frames: dict[Path, pd.DataFrame], options: ReadOptions, tables: Sequence[Table]) -> list[_File]:
    needs_scores = any(t.name in ("Responses", "EmployeeSurvey") for t in tables)
    return [_File(p, df, options, needs_scores) for p, df in frames.items()]


def _best(f: _File, options: ReadOptions, tables: Sequence[Table]) -> tuple[_Fit | None, list[_Fit]]:
    fits = [_fit(t, f, options, tables) for t in tables]
    return (max(fits, key=lambda x: x.score) if fits else None), fits


def match(tables: Sequence[Table], frames: dict[Path, pd.DataFrame], options: ReadOptions | None = None,
          check: DataCheck | None = None) -> dict[str, Assignment]:
    """Assign the exports to ``tables``: ``{table name: Assignment}`` (tables no file fits are absent).

    ``frames`` maps each file's path to its DataFrame of raw cells (``exports.read.read_file``); a
    SurveyMonkey frame loses its second header row here (the entry is replaced). Findings go to
    ``check``: ``profile_detected`` and ``column_ignored`` (info), ``file_skipped`` (warning).
    Raises :class:`ExportError` for a file that aims at a table and misses a required field, for
    an undecidable 0-10 question column, and for a ``--map`` header in no file or field in no table.
    """
    options = options or ReadOptions()
    check = check if check is not None else DataCheck()
    tables = list(tables)
    for key, df in list(frames.items()):
        if not all(isinstance(c, str) for c in df.columns):     # headers are text from here on
            frames[key] = df.rename(columns=lambda c: "" if c is None else str(c))
    files = _files(frames, options, tables)
    files = _sheets(files, frames, options, tables, check)
    _check_user_map(options, files, tables)
    complete: list[_Fit] = []
    best_of: dict[Path, _Fit | None] = {}
    elsewhere: dict[Path, str] = {}     # files that are exports for a table this report does not use
    others = [t for t in all_tables() if t.name not in {x.name for x in tables}]
    by_path = {f.path: f for f in files}
    for k, f in enumerate(files):
        best, fits = _best(f, options, tables)
        if best is not None and not best.complete and not best.aims and len(f.df.attrs.get("sheets", ())) > 1 \
                and not f.df.attrs.get("workbook"):
            f, best, fits = _other_sheet(f, best, fits, frames, options, tables, check)
            files[k] = f
            by_path[f.path] = f
        best_of[f.path] = best
        if best is None:
            continue
        if not best.complete and best.aims:
            # a finance export in a folder given to the revenue report half-fits Subscriptions, but it
            # is a whole export for another report's table: skipped and named, not an error
            whole = [x for x in (_fit(t, f, options, others) for t in others) if x.complete]
            if not whole:
                raise ExportError(_misfit_message(best, f, options))
            elsewhere[f.path] = max(whole, key=lambda x: x.score).table.name
            continue
        complete.extend(x for x in fits if x.complete)
    complete.sort(key=lambda x: x.score, reverse=True)
    out: dict[str, Assignment] = {}
    fed: set[Path] = set()
    chosen: dict[str, _Fit] = {}
    for fit in complete:
        if fit.table.name in out or fit.path in fed:
            continue
        chosen[fit.table.name] = fit
        f = by_path[fit.path]
        out[fit.table.name] = Assignment(fit.table, fit.path, dict(fit.columns),
                                         fit.profile.name if fit.profile else None, f.skip_rows,
                                         _headers=tuple(f.headers))
        fed.add(fit.path)
    extra: dict[str, list[tuple[_File, _Fit]]] = {}     # later files of one table, combined below
    for f in files:
        if f.path in fed:
            continue
        best = best_of[f.path]
        taken = [x for x in complete if x.path == f.path]
        if taken:
            fit = taken[0]
            t = fit.table.name
            _same_sheets(chosen[t], fit, by_path[chosen[t].path], f)
            extra.setdefault(t, []).append((f, fit))
        else:
            names = ", ".join(t.name for t in tables)
            if f.path not in elsewhere:
                whole = [x for x in (_fit(t, f, options, others) for t in others) if x.complete]
                if whole:
                    elsewhere[f.path] = max(whole, key=lambda x: x.score).table.name
            if f.path in elsewhere:
                # another report's export (a folder of every export): said, not a warning
                t = elsewhere[f.path]
                what = f"a {f.profile.title}, " if f.profile is not None and f.profile.fields else ""
                check.info("file_other_table", f"is {what}an export for table {t}, which this report does not "
                           "use; skipped",
                           file=str(f.path), table=t, fields={"table": t})
                continue
            near = ""
            if f.profile is not None and f.profile.fields and not any(t.name in f.profile.fields for t in tables):
                near = f" (it is a {f.profile.title}, which feeds {', '.join(f.profile.tables)})"
            elif best is not None and best.missing:
                near = f" (closest: {best.table.name}, missing {_missing_text(best)})"
            check.warn("file_skipped", f"fits none of the report's tables ({names}){near}; skipped",
                       file=str(f.path), fields={"tables": names, "closest": best.table.name if best else "",
                                                 "missing": _missing_text(best) if best else ""})
    for name, a in out.items():
        f = by_path[a.path]
        if a.profile:
            p = PROFILES[a.profile]
            check.info("profile_detected", f"read as {p.title} ({p.name})", file=str(a.path), table=name,
                       fields={"profile": p.name, "title": p.title})
        if a.skip_rows:
            try:
                row = int(a.skip_rows[0])
            except (TypeError, ValueError):
                row = None
            check.info("header_row_skipped", "the second header row (answer labels) is not data; skipped",
                       file=str(a.path), table=name, row=row)
            frames[f.key] = f.df
        if a.profile and PROFILES[a.profile].coalesce.get(name):
            _coalesce(f, a, PROFILES[a.profile], check)
            frames[f.key] = f.df
        if a.profile and PROFILES[a.profile].fixed.get(name):
            _fixed(f, a, PROFILES[a.profile])
            frames[f.key] = f.df
        if a.columns.get("csat_score", "").endswith(LABEL_SUFFIX) and a.columns["csat_score"] not in f.df.columns:
            _label_column(f, a, check)
            frames[f.key] = f.df
        if a.profile == "qualtrics":
            _qualtrics_rows(f, a, check)
            frames[f.key] = f.df
        fld = "nps_score" if name == "Responses" else "enps_score"
        if fld in a.columns and read_score_column(f, a.columns[fld], check, str(a.path), name):
            frames[f.key] = f.df
        if a.profile and PROFILES[a.profile].cents_check and "amount" in a.columns:
            _cents_check(f.df[a.columns["amount"]], a, check)
        for fld, heads in chosen[name].undecided.items():
            check.warn("column_undecided", f"{len(heads)} columns could be {fld}: "
                       f"{', '.join(repr(h) for h in heads)}; none is used -- pick one with --map {fld}=HEADER",
                       file=str(a.path), table=name, fields={"field": fld, "columns": ", ".join(heads)})
        for fld, heads in chosen[name].duplicates.items():
            others = ", ".join(repr(h) for h in heads[1:])
            check.warn("column_duplicate_field", f"columns {heads[0]!r} and {others} all read as {fld}; "
                       f"{heads[0]!r} is used -- keep one, or choose with --map {fld}=HEADER",
                       file=str(a.path), table=name, column=heads[0],
                       fields={"field": fld, "used": heads[0], "columns": ", ".join(heads[1:])})
        for h in a.ignored:
            check.info("column_ignored", f"column {h!r} feeds no field of {name}; ignored",
                       file=str(a.path), table=name, column=h, fields={"column": h, "table": name})
        for key, header in options.columns.items():
            tname, _, fld = key.rpartition(".")
            if (not tname or normalise(tname) == normalise(name)) and a.columns.get(fld) is not None \
                    and normalise(a.columns[fld]) == normalise(header):
                check.info("column_mapped", f"{name}.{fld} <- {a.columns[fld]!r} (--map)", file=str(a.path),
                           table=name, column=a.columns[fld], fields={"field": fld, "table": name})
    for name, more in extra.items():
        fld = "nps_score" if name == "Responses" else "enps_score"
        for g, fit in more:
            if fld in fit.columns:
                read_score_column(g, fit.columns[fld], check, str(g.path), name)
        _combine(out[name], by_path[out[name].path], more, frames, check)
        _own_headers(out[name], more, check)
    return out


def _own_headers(a: Assignment, more: list[tuple[_File, _Fit]], check: DataCheck) -> None:
    """Tell the data check each combined file's own header of every mapped column (the combined frame
    has the first file's headers): a finding about a row of the second file names the column as that
    file writes it (reviewer's L5: ``NPS``, not the first file's question)."""
    from dataclasses import replace

    maps = [{}] + [{a.columns[fld]: h for fld, h in fit.columns.items()
                    if fld in a.columns and a.columns[fld] != h} for _, fit in more]
    for i in range(len(check.combined) - 1, -1, -1):
        c = check.combined[i]
        if c.key == str(a.path) and c.table in (None, a.table.name):
            check.combined[i] = replace(c, headers=tuple(maps))
            return


def _same_sheets(first: _Fit, other: _Fit, f1: _File, f2: _File) -> None:
    """:func:`_same_export` for two files, and for two sheets of one workbook (reviewer's L5) the stricter
    rule: they are one export only when their headers are the same (as two monthly files of one export
    are), not when other headers map the same fields (a ``Summary`` sheet, ``Date, NPS``, beside the
    ``Responses`` sheet). A summary sheet is set aside before (:func:`_summaries`); sheets left with
    other headers are refused naming both, saying to give the data sheet alone (:data:`SHEET_ALONE`)."""
    from .combine import SHEET_ALONE

    book = f1.df.attrs.get("workbook")
    if not book or book != f2.df.attrs.get("workbook"):
        _same_export(first, other, f1, f2)
        return
    try:
        _same_export(first, other, f1, f2)
    except ExportError as e:
        raise ExportError(f"{e}; {SHEET_ALONE}") from None
    h1, h2 = _header_set(f1), _header_set(f2)
    if h1 != h2:
        only1 = ", ".join(repr(f1.norm[h]) for h in f1.norm if h in h1 - h2) or "-"
        only2 = ", ".join(repr(f2.norm[h]) for h in f2.norm if h in h2 - h1) or "-"
        raise ExportError(f"{f1.path} and {f2.path} both fit table {first.table.name} with other headers (only in "
                          f"the first: {only1}; only in the second: {only2}), so they are not one export, and neither "
                          "can be told a summary (a column outside its field's range, or one row per month with a "
                          f"count column); {SHEET_ALONE}")


def _sheets(files: list[_File], frames: dict, options: ReadOptions, tables: Sequence[Table],
            check: DataCheck) -> list[_File]:
    """A workbook is read sheet by sheet (reviewer's K7): every visible sheet after the one
    :func:`~xl_cskpi.exports.read.read_file` read (:func:`~xl_cskpi.exports.read.more_sheets`) is read
    as that sheet would be as a file of its own, and then

    * when two or more sheets fit a table of the report completely, each of them is an export of its
      own, named ``book.xlsx, sheet 'Tickets'`` (:func:`~xl_cskpi.exports.read.sheet_label`) in
      ``frames``, in the assignments and in every finding (the first sheet's reading findings are
      said again with its name): each feeds the table it fits, and two sheets that fit one table are
      combined or refused as two files are (same export: combined, ``files_combined``; otherwise an
      :class:`ExportError` naming both). The other sheets with a header row are named in one
      ``sheets_unread`` line (info) {sheets, read}; a sheet without a header row (a title or notes
      page) is passed over as before;
    * when only the first sheet fits, it is read as before, under the workbook's own name, and the
      sheets after it with a header row are named in that ``sheets_unread`` line;
    * when no sheet fits, or only a later one does, nothing changes here: the workbook goes on as
      one file (a later sheet is then read instead of the first, ``sheet_next``, :func:`_other_sheet`).

    A sheet that half-fits a table (a "Summary by plan" sheet with a month and an MRR but no customer)
    is not the error it is as a file: it is named in ``sheets_unread``, since a workbook often
    carries such a sheet beside its data. Hidden sheets are not read (:func:`more_sheets`).

    Sheets fit one table as one export only with the same headers (reviewer's L5): a sheet that fits
    the table of another sheet under other headers and is told a summary (:func:`_summaries`: a column
    outside its field's range, or one row per month with a count column) is not read either, named in
    ``sheets_unread`` with the reason ("'Summary' (a summary: one row per month)"); sheets left with
    other headers are refused by :func:`_same_sheets`."""
    from dataclasses import replace

    from .read import more_sheets, read_sheet, sheet_label

    out: list[_File] = []
    order: list[tuple[Any, pd.DataFrame]] = []
    changed = False
    for f in files:
        names = [] if f.df.attrs.get("workbook") else more_sheets(f.df)
        read: list[tuple[str, _File, pd.DataFrame, DataCheck]] = []
        unread: list[str] = []
        for name in names:
            df, found, why = read_sheet(f.path, name)
            if df is None:
                if why is not None:     # a header, but nothing to read under it
                    unread.append(f"{name!r} ({why})")
                continue
            read.append((name, _File(sheet_label(f.path, name), df, options, f.needs_scores), df, found))
        first = f.df.attrs.get("sheet")
        fit_first = _best(f, options, tables)[0] if (read or unread) else None
        fits_first = fit_first is not None and fit_first.complete
        feeding = []
        fits: dict[str, _Fit] = {}
        for x in read:
            best = _best(x[1], options, tables)[0]
            if best is not None and best.complete:
                feeding.append(x)
                fits[x[0]] = best
        if fits_first:
            fits[first] = fit_first
        summaries = _summaries([(first, f)] * fits_first + [(name, g) for name, g, *_ in feeding], fits)
        if summaries:      # a summary sheet beside the data sheet of its table: the data sheet alone is read
            fits_first = fits_first and first not in summaries
            feeding = [x for x in feeding if x[0] not in summaries]

        def said(name: str) -> str:
            return f"{name!r} ({summaries[name]})" if name in summaries else repr(name)

        if not fits_first and len(feeding) < 2 and not summaries:   # nothing more to read, or the summary-sheet rule
            out.append(f)
            order.append((f.key, frames[f.key]))
            continue
        unfit = unread
        if fits_first and not feeding:
            out.append(f)
            order.append((f.key, frames[f.key]))
            unfit = [said(name) for name, *_ in read] + unread
            shown = repr(first)
        else:
            changed = True
            label = sheet_label(f.path, first)
            for i, found in enumerate(check.findings):      # what the reader said of the first sheet
                if found.file == str(f.path):
                    check.findings[i] = replace(found, file=str(label))
            sheets: list[tuple[str, _File, pd.DataFrame, DataCheck]] = []
            if fits_first:
                raw = frames[f.key]
                sheets.append((first, _File(label, raw, options, f.needs_scores), raw, DataCheck()))
            sheets += feeding
            used = {name for name, *_ in sheets}
            unfit = ([] if fits_first else [said(first)]) + [said(name) for name, *_ in read if name not in used] \
                + unread
            for name, g, raw, found in sheets:
                raw.attrs["workbook"] = g.df.attrs["workbook"] = str(f.path)
                check.extend(replace(x, file=str(g.path)) if x.file == str(f.path) else x for x in found)
                out.append(g)
                order.append((g.key, raw))
            shown = ", ".join(repr(name) for name, *_ in sheets)
        if unfit:
            check.info("sheets_unread", f"sheets not read, fitting no table of the report: {', '.join(unfit)} "
                       f"(read: {shown})", file=str(f.path), fields={"sheets": ", ".join(unfit), "read": shown})
    if changed:
        frames.clear()
        frames.update(order)
    return out


def _header_set(f: _File) -> set[str]:
    """The file's headers as :func:`normalise` writes them (blank headers left out): two sheets are one
    export only when these are the same."""
    return {n for n in f.norm if n}


#: Headers of a column that counts something on a summary sheet (``Responses``, ``Count``, ``n``).
_COUNT_HEADERS = {"responses", "count", "n", "total", "number", "respondents", "answers", "tickets",
                  "complaints", "customers", "total_responses", "response_count", "responses_count",
                  "no_of_responses", "number_of_responses", "تعداد", "عدد", "العدد"}


def _summaries(sheets: list[tuple[str, _File]], fits: dict[str, _Fit]) -> dict[str, str]:
    """``{sheet: reason}`` for the sheets of one workbook that are a summary of another sheet's table
    (reviewer's L5: a survey workbook's ``Summary`` sheet, ``Date, NPS, Responses``, fits Responses as
    its ``Responses`` sheet does). Only sheets that fit one table *with other headers* are looked at
    (sheets with the same headers are one export, combined); among them a sheet is a summary when
    :func:`_summary_reason` says why, and it is one only when another of them is not (the data sheet).
    When none, or all, can be told a summary, ``{}``: :func:`match` refuses the sheets, naming them."""
    by_table: dict[str, list[tuple[str, _File]]] = {}
    for name, g in sheets:
        by_table.setdefault(fits[name].table.name, []).append((name, g))
    out: dict[str, str] = {}
    for group in by_table.values():
        if len(group) < 2 or len({frozenset(_header_set(g)) for _, g in group}) == 1:
            continue
        told = {name: why for name, g in group if (why := _summary_reason(g, fits[name])) is not None}
        if told and len(told) < len(group):
            out.update(told)
    return out


def _summary_reason(g: _File, fit: _Fit) -> str | None:
    """Why the sheet ``g`` (fitting ``fit``) is a summary, not an export's rows, or None:

    * its rows are one per month (the table's date field holds each month once) and a column counts
      something (``Responses``, ``Count``: :data:`_COUNT_HEADERS`, whole numbers), in a table whose
      rows are not months by design (no ``month`` field): "a summary: one row per month";
    * a mapped column holds values outside the field's range (an ``NPS`` of 14 or -25 fitted as the
      0-10 answer: a monthly NPS): "a summary: NPS holds 14, outside 0-10"."""
    cols = fit.columns
    keys = {c.key for c in fit.table.columns}
    if "month" not in keys:
        for c in fit.table.columns:
            if c.kind not in ("date", "datetime") or cols.get(c.key) not in g.df.columns or not len(g.df):
                continue
            months = [_month_of(v) for v in g.df[cols[c.key]].tolist()]
            if None in months or len(set(months)) != len(months):
                continue
            used = set(cols.values())
            for h in g.headers:
                if h in used or normalise(h) not in _COUNT_HEADERS:
                    continue
                x = pd.to_numeric(g.df[h], errors="coerce")
                if x.notna().all() and ((x >= 0) & (x == x.round())).all():
                    return "a summary: one row per month"
    for c in fit.table.columns:
        h = cols.get(c.key)
        if h not in g.df.columns or (c.minimum is None and c.maximum is None):
            continue
        x = pd.to_numeric(g.df[h], errors="coerce")
        low = -float("inf") if c.minimum is None else c.minimum
        high = float("inf") if c.maximum is None else c.maximum
        bad = x[(x < low) | (x > high)]
        if len(bad):
            return (f"a summary: {h} holds {float(bad.iloc[0]):g}, outside "
                    f"{'' if c.minimum is None else f'{c.minimum:g}'}-{'' if c.maximum is None else f'{c.maximum:g}'}")
    return None


def _month_of(v: Any) -> tuple[int, int] | None:
    """``(year, month)`` of a date cell (a date, a datetime, a text such as ``2024-03-01``), or None."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "year") and hasattr(v, "month"):
        return int(v.year), int(v.month)
    if isinstance(v, str) and v.strip():
        import warnings

        with warnings.catch_warnings():     # "could not infer format": a text that is no date is None
            warnings.simplefilter("ignore")
            t = pd.to_datetime(v.strip(), errors="coerce")
        return None if t is pd.NaT or pd.isna(t) else (int(t.year), int(t.month))
    return None


def _other_sheet(f: _File, best: _Fit, fits: list[_Fit], frames: dict, options: ReadOptions,
                 tables: Sequence[Table], check: DataCheck) -> tuple[_File, _Fit, list[_Fit]]:
    """A workbook whose first sheet with a header fits no table (a "Summary" sheet before the data,
    reviewer's U10): the next sheets are tried in order, and the first that fits a table completely
    is read instead (``sheet_next``, info, naming the sheets); when none does, the file's fit is
    left as it was and its :attr:`_Fit.why` names the sheets looked at."""
    from .read import read_file

    first = f.df.attrs.get("sheet")
    sheets = list(f.df.attrs.get("sheets", ()))
    tried = [first]
    for name in sheets:
        if name == first:
            continue
        quiet = DataCheck()
        try:
            df = read_file(f.path, quiet, sheet=name)
        except ExportError:
            continue
        tried.append(name)
        g = _File(f.key, df, options, f.needs_scores)
        best2, fits2 = _best(g, options, tables)
        if best2 is not None and best2.complete:
            check.extend(quiet)
            check.info("sheet_next", f"read sheet {name!r}: sheet {first!r} fits no table of the report (sheets: "
                       f"{', '.join(sheets)})", file=str(f.path),
                       fields={"sheet": name, "first": first, "sheets": ", ".join(sheets)})
            frames[f.key] = g.df
            return g, best2, fits2
    best.why = (f"sheets {', '.join(repr(x) for x in sheets)}: read {first!r}"
                + (f"; {', '.join(repr(x) for x in tried[1:])} fit no table either" if len(tried) > 1 else ""))
    return f, best, fits


def _missing_text(fit: _Fit) -> str:
    """The fields a fit misses, and why the 0-10 question was not recognised when a column says
    "recommend" but holds something else."""
    return ", ".join(fit.missing) + (f" ({fit.why})" if fit.why else "")


# --------------------------------------------------------------------------- re-exports

def __getattr__(name: str):
    """``inspect`` and ``format_inspect`` live in :mod:`.inspection`, which reads this module's matching:
    re-exported lazily (PEP 562), so either module may be imported first (a top-level import here made
    ``import xl_cskpi.exports.inspection`` alone a circular import)."""
    if name in ("inspect", "format_inspect"):
        from . import inspection

        return getattr(inspection, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


from .mapfile import parse_map, read_map_file  # noqa: E402,F401
