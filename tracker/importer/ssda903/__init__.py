"""The Department for Education's children-looked-after return (SSDA903), as CSV tables or
one XML file: `ssda903_read` reads it (or refuses it, by file, line and field), and
`ssda903_import` takes it into the tracker, reporting child by child. The mapping is in
`mapping` and written out in the README ("SSDA903 import")."""

from .apply import ChildChanges, FieldChange, Refusal, Ssda903Report, ssda903_import
from .read import Episode, ReturnChild, Ssda903Return, ssda903_read

__all__ = [
    "ChildChanges",
    "Episode",
    "FieldChange",
    "Refusal",
    "ReturnChild",
    "Ssda903Report",
    "Ssda903Return",
    "ssda903_import",
    "ssda903_read",
]
