"""Signals the lower layer sends so the apps above can act without being imported.

`scan_due` is sent by the periodic scan with `today`: each app queues the notices due.
`notification_sent` is sent after an email leaves, with the notification, so an app can
record it (a booking's "told" times).
`user_deactivated` is sent, inside the transaction, when a leaver is deactivated, with the
user, so the apps above free what the person held (their panel seats).
`person_holds` asks the apps above what a person holds, with the user; each receiver answers
with a list of sentences ("Chair of the Torbay Permanency Panel"), shown before deactivating.
"""

from django.dispatch import Signal

scan_due = Signal()
notification_sent = Signal()
user_deactivated = Signal()
person_holds = Signal()
