"""What :func:`xl_cskpi.exports.mapping.match` does to a file's frame once it knows the table it feeds.

* several files of one table combined (:func:`_combine`, :mod:`xl_cskpi.exports.combine`), or refused
  when they are different exports (:func:`_same_export`);
* a profile's column read from the first filled of several (:func:`_coalesce`), a value it knows for
  every row (:func:`_fixed`), amounts that look like cents (:func:`_cents_check`);
* a satisfaction question answered in words read as 1-5 (:func:`_label_column`);
* Qualtrics' previews, tests and spam left out, unfinished responses counted (:func:`_qualtrics_rows`).

Each change is a finding in the data check. The mapping module re-exports nothing of this: it is its
helper (``_File``, ``_Fit`` and ``Assignment`` are mapping's types).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .check import DataCheck, ExportError
from .profiles import PROFILES, Profile, label_scores

if TYPE_CHECKING:   # mapping imports this module: its types for the annotations only
    from .mapping import Assignment, _File, _Fit

__all__ = ["LABEL_SUFFIX", "QUALTRICS_NOT_ANSWERS"]


def _same_export(first: _Fit, other: _Fit, f1: _File, f2: _File) -> None:
    """Two files that fit one table are combined only when they are the same export: the same profile
    and the same fields mapped (:mod:`xl_cskpi.exports.combine`); otherwise an :class:`ExportError`
    naming both."""
    t = first.table.name
    p1 = f1.profile.title if f1.profile is not None else "generic headers"
    p2 = f2.profile.title if f2.profile is not None else "generic headers"
    if (f1.profile.name if f1.profile else None) != (f2.profile.name if f2.profile else None):
        raise ExportError(f"{f1.path} and {f2.path} both fit table {t}, but they are different exports ({p1}; "
                          f"{p2}): give one of them, or export both from the same tool with the same columns")
    a, b = set(first.columns), set(other.columns)
    if a != b:
        only1 = ", ".join(sorted(a - b)) or "-"
        only2 = ", ".join(sorted(b - a)) or "-"
        raise ExportError(f"{f1.path} and {f2.path} both fit table {t}, but read different columns (only in "
                          f"{f1.path.name}: {only1}; only in {f2.path.name}: {only2}): export both with the same "
                          "columns, or give one of them")


def _combine(a: Assignment, f1: _File, more: list[tuple[_File, _Fit]], frames: dict, check: DataCheck) -> None:
    """The files of ``more`` appended to ``a``'s file, rows in file order: the combined frame replaces the
    first file's entry in ``frames``; ``files_combined`` (info) names the files and their rows."""
    from .combine import NEWEST_ROW, ROW_BASE, Combined, check_snapshots, combine, keep_newest
    from .mapping import Assignment

    parts = [(f1.path, f1.df, dict(a.columns))]
    for f, fit in more:
        cols = dict(fit.columns)
        if fit.profile is not None and fit.profile.coalesce.get(a.table.name):
            _coalesce(f, Assignment(a.table, f.path, cols, fit.profile.name), fit.profile, DataCheck())
        if fit.profile is not None and fit.profile.fixed.get(a.table.name):
            _fixed(f, Assignment(a.table, f.path, cols, fit.profile.name), fit.profile)
        for h in f.headers:
            if h not in set(cols.values()) and h not in f1.headers:
                check.info("column_ignored", f"column {h!r} feeds no field of {a.table.name}; ignored",
                           file=str(f.path), table=a.table.name, column=h,
                           fields={"column": h, "table": a.table.name})
        parts.append((f.path, f.df, cols))
    if any(len(df) >= ROW_BASE for _, df, _ in parts):   # never: a file holds at most Excel's rows
        raise ExportError(f"{a.path}: too many rows to combine")
    profile = PROFILES.get(a.profile) if a.profile else None
    check_snapshots(parts, a.table.name, invoices=profile is not None and profile.rows == "invoices")
    combined = combine(parts, a.table.name)
    check.combined.append(Combined(str(a.path), tuple(str(p) for p, _, _ in parts), a.table.name))
    names = [p.name for p, _, _ in parts]
    counts = [len(df) for _, df, _ in parts]
    listed = ", ".join(f"{n} ({c:,} rows)" for n, c in zip(names, counts))
    check.info("files_combined", f"{len(parts)} files of the same export combined into {a.table.name}, rows "
               f"appended in this order: {listed}", file=str(a.path), table=a.table.name,
               fields={"table": a.table.name, "count": len(parts), "files": listed})
    combined, newest = keep_newest(combined, a.table.name, dict(a.columns))
    if newest is not None:
        fld = NEWEST_ROW[a.table.name]
        check.info("newest_row", f"{newest['count']:,} {fld} value(s) are in more than one file: the row of the "
                   f"later file is kept, as the newer state ({newest['rows']:,} earlier row(s) left out; first "
                   f"{newest['first']}: row {newest['dropped']} left out, row {newest['kept']} kept); files are "
                   "taken in name order", file=str(a.path), table=a.table.name, row=newest["dropped"],
                   column=a.columns[fld], fields={**newest, "field": fld})
    frames[f1.key] = combined


#: The column added for a satisfaction question answered in words: its header is the question's, with
#: the scale it now holds (read by the report as the CSAT scale, survey_scale.scale_in_header).
LABEL_SUFFIX = " (1-5)"


def _label_column(f: _File, a: Assignment, check: DataCheck) -> None:
    """Add the 1..5 column of a satisfaction question answered in words, with a ``csat_labels`` info line
    giving the words read (reviewer's G14)."""
    header = a.columns["csat_score"]
    source = header[: -len(LABEL_SUFFIX)]
    scores = label_scores(f.df[source])
    f.df = f.df.assign(**{header: scores})
    seen = {}
    for v, n in zip(f.df[source].tolist(), scores.tolist()):
        if n is not None and str(v).strip() not in seen:
            seen[str(v).strip()] = int(n)
    listed = ", ".join(f"{k} = {n}" for k, n in sorted(seen.items(), key=lambda kv: -kv[1]))
    check.info("csat_labels", f"the satisfaction answers are words, read on a 1-5 scale: {listed}", file=str(a.path),
               table=a.table.name, column=source, fields={"column": source, "labels": listed})


#: Qualtrics' response types that are no respondent's answer (its "Status" column, as text or, with
#: "Use numeric values", as its code): the author's preview, a test response, spam.
QUALTRICS_NOT_ANSWERS = {"survey preview": "1", "survey test": "2", "spam": "8"}


def _qualtrics_rows(f: _File, a: Assignment, check: DataCheck) -> None:
    """A Qualtrics export's previews, test responses and spam are left out (``survey_rows_left_out``,
    info, with the count); unfinished responses (``Finished`` False) are kept, and counted
    (``survey_unfinished``, info): their answers were recorded (reviewer's G27)."""
    status = f.norm.get("status") or f.norm.get("response_type")
    df = f.df
    if status is not None:
        text = df[status].map(lambda v: "" if v is None else str(v).strip().lower().removesuffix(".0"))
        drop = text.isin(set(QUALTRICS_NOT_ANSWERS) | set(QUALTRICS_NOT_ANSWERS.values())).to_numpy(dtype=bool)
        if drop.any():
            kinds = ", ".join(sorted({str(v) for v in df[status][drop]}))
            first = int(df.index[drop][0])
            check.info("survey_rows_left_out", f"{int(drop.sum()):,} response(s) whose {status} is {kinds} (Qualtrics: "
                       f"not a respondent's answer) left out (first: row {first})", file=str(a.path),
                       table=a.table.name, row=first, column=status,
                       fields={"count": int(drop.sum()), "column": status, "values": kinds, "row": first})
            df = df[~drop]
    finished = f.norm.get("finished")
    if finished is not None:
        no = df[finished].map(lambda v: str(v).strip().lower() in ("false", "0", "0.0")).to_numpy(dtype=bool)
        if no.any():
            check.info("survey_unfinished", f"{int(no.sum()):,} unfinished response(s) ({finished} = False) are "
                       f"counted with the answers they recorded (first: row {int(df.index[no][0])})",
                       file=str(a.path), table=a.table.name, row=int(df.index[no][0]), column=finished,
                       fields={"count": int(no.sum()), "column": finished, "row": int(df.index[no][0])})
    f.df = df


def _cents_check(values: pd.Series, a: Assignment, check: DataCheck) -> None:
    """Warn when every amount is a whole number written without a decimal point, each one that is not 0
    being 100 or more: the vendor's CSV writes prices with decimals (59.00, 29.99), its API in cents
    (5900, 2999). A .99 price in cents is no multiple of 100, so the rule does not ask for one (R F13)."""
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if text.empty or not text.str.fullmatch(r"[0-9]+").all():
        return
    n = text.astype("int64")
    if (n > 0).any() and (n[n > 0] >= 100).all():
        first = ", ".join(text[n > 0].iloc[:3])
        check.warn("amounts_cents", f"every amount ({first}, ...) is a whole number of 100 or more written without "
                   f"decimals: if {PROFILES[a.profile].title} wrote them in cents, as its API does, every MRR is 100 "
                   "times too high; export amounts with decimals (59.00) to be sure", file=str(a.path),
                   table=a.table.name, column=a.columns["amount"],
                   fields={"column": a.columns["amount"], "examples": first})


def _coalesce(f: _File, a: Assignment, profile: Profile, check: DataCheck) -> None:
    """Add the column ``"a / b / c"`` (first filled of a, b, c per row) a profile's field reads."""
    for fld, names in profile.coalesce.get(a.table.name, {}).items():
        header = a.columns.get(fld)
        if header is None or " / " not in header or header in f.df.columns:
            continue
        parts = header.split(" / ")
        df = f.df.copy()
        out = pd.Series([None] * len(df), index=df.index, dtype=object)
        for h in parts:
            v = df[h].astype(object)
            filled = v.notna() & (v.astype(str).str.strip() != "")
            out = out.where(out.notna(), v.where(filled, None))
        df[header] = out
        f.df = df
        check.info("coalesced", f"{a.table.name}.{fld}: {parts[0]}, where blank {', then '.join(parts[1:])}",
                   file=str(a.path), table=a.table.name, column=header,
                   fields={"field": fld, "columns": ", ".join(parts)})


def _fixed(f: _File, a: Assignment, profile: Profile) -> None:
    """Add the column of each field whose value a profile knows for every row (``Profile.fixed``)."""
    for fld, (header, value) in profile.fixed.get(a.table.name, {}).items():
        if a.columns.get(fld) == header and header not in f.df.columns:
            f.df = f.df.assign(**{header: value})
