"""The audit's one write: an entry is added, never changed or removed."""

import ipaddress

from django.conf import settings
from django.db import transaction

from ..models import AuditAction, AuditEntry

# What fits the columns: a hostile path or typed address is cut, never a reason to fail.
PATH_LIMIT = AuditEntry._meta.get_field("path").max_length
USERNAME_LIMIT = AuditEntry._meta.get_field("username").max_length
LABEL_LIMIT = AuditEntry._meta.get_field("label").max_length


def client_ip(request) -> str | None:
    """The address the request came from. Behind the council's proxy or load balancer (an
    address in the setting TRUSTED_PROXY_IPS) it is the last address the proxies were
    given in X-Forwarded-For that is not a proxy itself; anything a client writes before
    that is not trusted."""
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.TRUSTED_PROXY_IPS)
    if peer not in trusted:
        return peer
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    for address in reversed(forwarded):
        if address not in trusted:
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return peer
    return peer


@transaction.atomic
def audit_entry_record(
    *,
    action: AuditAction,
    user=None,
    username: str = "",
    request=None,
    object_type: str = "",
    object_id="",
    label: str = "",
    case_number: str = "",
    path: str | None = None,
) -> AuditEntry:
    """Add one entry. `request` gives the address and the path (never its query string,
    which may hold a search for a child's name); `path` stands for it where the path
    itself is a secret (a calendar link's token)."""
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEntry.objects.create(
        action=action,
        user=user,
        username=(username or (user.email if user else ""))[:USERNAME_LIMIT],
        object_type=object_type,
        object_id=str(object_id or ""),
        label=label[:LABEL_LIMIT],
        case_number=case_number or "",
        ip_address=client_ip(request),
        path=(path if path is not None else request.path if request is not None else "")[
            :PATH_LIMIT
        ],
    )
