"""Signing in and staying signed in: lockout (django-axes), two-factor codes (django-otp),
passwords, and the limits on a session.

The rules live in one place each: `middleware` ends sessions that are idle or too old and
holds back anyone who owes a two-factor code; `again` asks for the password before the
whole-caseload downloads; `services` makes every change.
"""
