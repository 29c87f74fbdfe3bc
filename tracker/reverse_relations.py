"""The tracker's one exception to `minutes → agendas → tracker → permanence`.

The tracker never imports the apps above it, but a child's panel, bookings and panel
actions belong to them, and the tracker must read those rows: its filters list panels, the
import names a child's panel, a flag counts overdue actions and the child's page lists
bookings and decisions. Django already knows these relations from the higher apps'
foreign keys to `Child`, so the tracker reaches the models through them here, and nowhere
else. Each is looked up when called: the higher apps' models are not loaded when this
module is imported.
"""

from .models import Child


def _model_behind(relation: str):
    return Child._meta.get_field(relation).related_model


def panel_model():
    """agendas' Panel: the panel that tracks a child, and whose limits its dates follow."""
    return _model_behind("panel")


def booking_model():
    """agendas' Booking: a child on a meeting's agenda or a panel's waiting list; panel's
    decision hangs off it (`decision`, from minutes)."""
    return _model_behind("bookings")


def panel_action_model():
    """minutes' PanelAction: what panel asked someone to do for the child, and by when."""
    return _model_behind("panel_actions")


def meeting_model():
    """agendas' Meeting: a panel's meeting, whose date says whether a new child has missed
    the next available panel (`not_presented_at_next_panel`)."""
    return booking_model()._meta.get_field("meeting").related_model


def care_order_revocation_model():
    """minutes' CareOrderRevocation: panel recommended revoking the care order of a child
    placed with parents (Somerset 3.8); the tracker shows it until made or withdrawn."""
    return _model_behind("care_order_revocations")
