"""Reads of the audit: newest first, with who did it, a page at a time."""

from django.db.models import QuerySet

from ..models import AuditEntry

LOOKED_AT_SHOWN = 5


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("user")


def looked_at(case_number: str) -> list[AuditEntry]:
    """The latest looks at one child's record, for their page: a short list, and a link
    to the whole of it on the audit page."""
    if not case_number:
        return []
    return list(audit_entries().filter(case_number=case_number)[:LOOKED_AT_SHOWN])
