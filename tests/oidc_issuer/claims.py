from django.conf import settings


def with_tenant(id_token, **kwargs):
    """Entra puts the directory (tenant) id in every ID token as `tid`; so does this issuer."""
    return {**id_token, "tid": settings.ISSUER_TENANT_ID}
