"""Members' contributions asked of the seats a person holds, for children booked into a
meeting still to come."""

from django.urls import reverse

from agendas.selectors import contributions_to_write

from .lines import Task, child_words, meeting_words


def contributions(user, *, today) -> list[Task]:
    return [
        Task(
            kind="contribution",
            action=f"Write the {contribution.in_a_sentence} contribution",
            url=reverse("bookings:contribution", args=[contribution.booking_id, contribution.kind]),
            about=child_words(contribution.booking.child),
            hint=f"As {contribution.role_on_panel}. {meeting_words(contribution.booking.meeting)}",
            due=contribution.due_date,
        )
        for contribution in contributions_to_write(user, today=today)
    ]
