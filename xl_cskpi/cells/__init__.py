"""Coercion of worksheet ranges and cells: the one place where the contract's range rules live.

What a KPI function receives may be a Python scalar, a list, a list of row lists (what xlwings
delivers), a tuple, a numpy array, or a pandas Series/DataFrame. Every function normalises its
inputs here, once, at the top:

* ranges are read in row-major order, whatever their shape;
* blank cells (``None``, ``""``, whitespace; in pandas objects also ``NaN``/``NaT``/``pd.NA``,
  which is how pandas spells an empty cell) are skipped, or kept as ``NaN``/``NaT`` in *aligned*
  ranges so that rows stay together;
* numbers stored as text are read, also with Persian (۰-۹) and Arabic-Indic (٠-٩) digits, the
  Arabic decimal separator (٫), thousands separators (``,`` ``٬`` and spaces, in groups of three),
  the minus sign (−), a trailing percent sign (``45%`` is 0.45), currency symbols and codes
  (``$1,200``, ``1,200 USD``, ``۱۲۰۰ تومان``) and accounting negatives (``(123)``, ``123-``);
* dates are ``datetime``/``date``/``pandas.Timestamp``/``numpy.datetime64``, Excel serial numbers
  (1900 date system, as Excel on Windows and the web store them) or text, read by one rule per
  range or column, never a guess per cell (:func:`date_column`);
* anything else where a number is needed -- other text, booleans, NaN, infinities -- raises
  :class:`~xl_cskpi.errors.InvalidInput` naming the argument and the first offending cell.

The common case -- a range of plain numbers and blanks -- never loops in Python per cell: it goes
through ``np.array(..., dtype=float)`` with a type check on the flattened list; other ranges are
read once per distinct value.

Export columns are read by the same rules: :func:`number_column` and :func:`date_column` are the
one reader of a column of numbers or dates in the package (the exports room calls them; their
errors carry ``.position`` so that the file's row can be named).

Where each part lives (everything is imported from here, ``xl_cskpi.cells``):

* :mod:`~xl_cskpi.cells.shapes` -- flattening a range row-major, :func:`factorize` (NUL-safe), naming a cell (:func:`where`),
  describing a value (:func:`describe`), blanks, one-cell arguments, errors located on a cell;
* :mod:`~xl_cskpi.cells.numeric` -- number text with local digits and currencies
  (:func:`read_number_text`, :func:`parse_number_text`, :data:`CURRENCIES`, :data:`LATIN_DIGITS`),
  :func:`numbers`, :func:`number`, :func:`count`, :func:`total`, :func:`divide`,
  :func:`number_column`;
* :mod:`~xl_cskpi.cells.dates` -- the one reader of dates: :func:`datetimes`, :func:`date_column`
  (one order per range or column, local calendars, offsets); its parts
  :mod:`~xl_cskpi.cells.date_values` (Excel serials :func:`serial_to_datetime64`,
  :func:`datetime_to_serial`, date cells, the ``datetime64[ns]`` range),
  :mod:`~xl_cskpi.cells.date_text` (one date text; the numpy road for plain timestamps) and
  :mod:`~xl_cskpi.cells.timezones` (zone names, offsets, ``to_zone``);
* :mod:`~xl_cskpi.cells.textual` -- :func:`texts`, :func:`text`, :func:`choice`, :func:`flag` and the
  folding of labels (:func:`fold_text`, :func:`fold_labels`, :func:`fold_label`);
* :mod:`~xl_cskpi.cells.ranges` -- aligned ranges (:func:`aligned`, :func:`blank_mask`,
  :func:`require_nonempty`).
"""

from __future__ import annotations

from .shapes import describe, factorize, flatten, where
from .numeric import (CURRENCIES, LATIN_DIGITS, count, divide, number, number_column, numbers, parse_number_text,
                      read_number_text, total)
from .textual import choice, flag, fold_label, fold_labels, fold_text, fold_text_reference, text, texts
from .dates import (DATE_KINDS, DATE_ORDERS, FIRST_DATE, LAST_DATE, date_column, datetime_to_serial, datetimes,
                    serial_to_datetime64)
from .ranges import aligned, blank_mask, require_nonempty

__all__ = [
    "LATIN_DIGITS",
    "flatten",
    "factorize",
    "numbers",
    "number",
    "count",
    "total",
    "datetimes",
    "texts",
    "text",
    "choice",
    "flag",
    "aligned",
    "parse_number_text",
    "read_number_text",
    "number_column",
    "date_column",
    "CURRENCIES",
    "FIRST_DATE",
    "LAST_DATE",
    "serial_to_datetime64",
    "datetime_to_serial",
    "describe",
    "where",
    "fold_text",
    "fold_labels",
    "fold_label",
    "divide",
]
