"""Signals the lower layer sends so the apps above can act without being imported.

`scan_due` is sent by the periodic scan with `today`: each app queues the notices due.
`notification_sent` is sent after an email leaves, with the notification, so an app can
record it (a booking's "told" times).
"""

from django.dispatch import Signal

scan_due = Signal()
notification_sent = Signal()
