"""Importing children from a council's spreadsheet tracker: all or nothing.

`rows` reads a file (CSV) into rows of text by column; `children` checks every row and
writes the children through the tracker's services; `columns` names the columns both use,
and the export too; `referrals` takes referrals as rows, through `referral_send`. The SSDA903
import sits beside them.
"""

from .children import ImportResult, children_import
from .columns import (
    CALCULATED_COLUMNS,
    DATE_COLUMNS,
    IMPORT_COLUMNS,
    KEY_DATE_COLUMNS,
    Problem,
)

__all__ = [
    "CALCULATED_COLUMNS",
    "DATE_COLUMNS",
    "IMPORT_COLUMNS",
    "KEY_DATE_COLUMNS",
    "ImportResult",
    "Problem",
    "children_import",
]
