"""Reading exports: the road from a user's CSV/XLSX files to a report's canonical tables.

One room, one idea per module (reports ask it for canonical tables; they never parse files):

==============  ===========================================================================
``check``       :class:`ExportError` (exit 2), :class:`Finding`/:class:`DataCheck` (the data check
                every ``report`` prints and writes as a sheet), :class:`ReadOptions` (the reading
                rules a user chose on the command line)
``read``        files -> DataFrames of raw cells: encodings, delimiters, workbooks, hostile files
``headers``     header normalisation (case, spaces, Persian/Arabic letters, ZWNJ, digits)
``profiles``    built-in header sets of real exports (Stripe, Zendesk, Typeform, ...)
``mapping``     which file feeds which table, column by column; ``--map``/``--map-file``; ``inspect``
``statuses``    ticket and complaint status vocabularies (en/fa/ar synonyms -> canonical)
==============  ===========================================================================

Typing a column (numbers, dates) is :mod:`xl_cskpi.cells`' job: one decision per column, the
same rules for worksheet ranges and export columns.
"""

from .check import DataCheck, ExportError, Finding, ReadOptions

__all__ = ["DataCheck", "ExportError", "Finding", "ReadOptions"]
