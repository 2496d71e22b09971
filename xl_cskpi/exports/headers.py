"""Header normalisation: one comparison form for every header, alias and translated column name.

Exports are typed by people and written by systems in three scripts. Two headers are the same when
their :func:`normalise` forms are equal. The rules, in order:

1. The letters are folded as :func:`xl_cskpi.cells.fold_text` folds statuses and comments (one
   folding for the whole project): Unicode NFKC (Arabic presentation forms to letters), case folded,
   Arabic yeh ``ي``/``ى`` -> Persian ``ی``, Arabic kaf ``ك`` -> ``ک``, teh marbuta ``ة`` and
   heh-with-yeh ``ۀ`` -> ``ه``, ``أ إ آ ٱ`` -> ``ا``, Persian (۰-۹) and Arabic-Indic (٠-٩) digits -> 0-9;
   removed: harakat and the hamza above ``ٔ`` (``شناسهٔ`` == ``شناسه``), superscript alef, tatweel
   ``ـ``, zero-width (non-)joiners, bidi marks, byte-order mark, soft hyphen.
   ``ة`` -> ``ه`` is folded in every language: Arabic users type ``قيمه`` for ``قيمة`` as often as
   Persian users type ``ۀ`` or ``ه``, and no two headers of one table differ by it.
2. Runs of white space and punctuation (``- / . & ( ) [ ] : , ; ' " ? ! ؟ ، ؛ « »`` and ``_``)
   become one ``_``, trimmed at both ends: ``" Customer ID "`` -> ``customer_id``,
   ``"Created (UTC)"`` -> ``created_utc``, ``"subscriptions.id"`` -> ``subscriptions_id``.
   Other signs are kept (``"Amount ($)"`` -> ``amount_$``, ``"#"`` -> ``#``).
3. A separator *between two Arabic-script letters* is removed. Persian writers join the parts of
   one word with a space, a zero-width non-joiner or nothing, all three in real files
   (``نرخ ریزش``, ``نرخ‌ریزش``, ``نرخریزش``), so the three must be one header; in Latin script
   ``customer id`` and ``customerid`` stay different, as today (no export writes both for one field).

>>> normalise(" Customer ID ")
'customer_id'
>>> normalise("نرخ ریزش") == normalise("نرخ\u200cریزش") == normalise("نرخریزش")
True
>>> normalise("شناسهٔ مشتری") == normalise("شناسه مشتري") == normalise("شناسه‌مشتری")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable

import pandas as pd

from ..cells import fold_text_reference

__all__ = ["normalise", "arabic_script", "script_language", "ARABIC_LETTERS"]

#: Arabic-script letters (Arabic, Arabic Supplement, Extended-A; presentation forms are NFKC-folded
#: before this is used).
ARABIC_LETTERS = "\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"

_SEPARATORS = re.compile(r"[\s\-/.&()\[\]:,;'\"?!\u061f\u060c\u061b\u00ab\u00bb_\u2010-\u2015]+")
_BETWEEN_ARABIC = re.compile(f"(?<=[{ARABIC_LETTERS}])_(?=[{ARABIC_LETTERS}])")
_ARABIC = re.compile(f"[{ARABIC_LETTERS}]")
_PERSIAN_ONLY = re.compile("[\u067e\u0686\u0698\u06af\u06cc\u06a9]")   # پ چ ژ گ ی ک


@lru_cache(maxsize=65536)
def _normalise(text: str) -> str:
    s = fold_text_reference(pd.Series([text.replace("\ufeff", "")], dtype=object)).iloc[0]
    s = _SEPARATORS.sub("_", s.strip()).strip("_")
    return _BETWEEN_ARABIC.sub("", s)


def normalise(header: Any) -> str:
    """The comparison form of a header (see the module's rules). ``None`` is ``""``."""
    if header is None:
        return ""
    if isinstance(header, float) and header.is_integer():
        header = int(header)
    return _normalise(str(header))


def arabic_script(text: Any) -> bool:
    """True when ``text`` has an Arabic-script letter (Persian or Arabic)."""
    return bool(_ARABIC.search(unicodedata.normalize("NFKC", str(text))))


def script_language(headers: Iterable[Any]) -> str | None:
    """``"fa"``, ``"ar"`` or None: the language headers look written in, by their letters.

    A header set is Persian or Arabic when at least one header in three has Arabic-script letters;
    Persian when any of them uses a letter Arabic does not (پ چ ژ گ, Persian yeh ی or kaf ک as typed),
    else Arabic. Used to suggest ``--lang`` when headers do not match.
    """
    hs = [unicodedata.normalize("NFKC", str(h)) for h in headers if h is not None]
    rtl = [h for h in hs if _ARABIC.search(h)]
    if not hs or 3 * len(rtl) < len(hs):
        return None
    return "fa" if any(_PERSIAN_ONLY.search(h) for h in rtl) else "ar"
