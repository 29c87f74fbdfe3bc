"""A small OpenID Connect issuer, django-oidc-provider in a Django site of its own, that
tests/permanence/test_single_sign_on.py starts in a subprocess on 127.0.0.1, so single
sign-on is tested against a real issuer over HTTP rather than a mock of the library.

It stands in for the council's Microsoft Entra ID: a sign-in page, a consent page, and ID
tokens signed RS256 by a key made at start, carrying Entra's tenant claim `tid`."""
