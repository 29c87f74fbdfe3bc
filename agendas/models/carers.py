"""What the prospective special guardians said, recorded against the SGO request (Torbay:
"oversight of relevant communications and feedback from prospective Special Guardians prior
to the final submission of the plan")."""

from django.conf import settings
from django.db import models

from permanence.validators import text_limit, validate_service_date

from .bookings import Booking


class GuardiansFeedback(models.Model):
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="guardians_feedback"
    )
    received_on = models.DateField("Date of the communication", validators=[validate_service_date])
    summary = models.TextField("What the prospective special guardians said", max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking", "received_on", "pk"]
        verbose_name = "prospective special guardians' feedback"
        verbose_name_plural = "prospective special guardians' feedback"
        constraints = [text_limit("guardiansfeedback", "summary", 5000)]

    def __str__(self):
        return f"Feedback of {self.received_on:%d/%m/%Y} on booking {self.booking_id}"
