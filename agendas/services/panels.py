"""Every write to a panel's set-up, and loading the five seed presets."""

from dataclasses import asdict, dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.roles import Role
from tracker import services as tracker_services
from tracker.rules import PanelLimits

from .. import presets
from ..models import (
    AgendaSection,
    Break,
    DocumentRequirement,
    ExpectedContribution,
    Outcome,
    Panel,
    PanelMembership,
    PlanningQuestion,
    RequestPurpose,
    RequestType,
)
from . import contributions

# Slug is left out: the import file and the presets name panels by it.
PANEL_SETTINGS = frozenset(
    f.name for f in Panel._meta.concrete_fields if f.name not in ("id", "slug")
)
# Chairs are local people: a preset never sets them, and reloading one keeps them. So are
# the Complex Cases Panel's recipient, and the record of the last review of the terms of
# reference, which reloading a preset must not take back.
PRESET_SETTINGS = PANEL_SETTINGS - {
    "chair",
    "deputy_chair",
    "complex_cases_recipient",
    "terms_of_reference_reviewed_on",
}


def set_fields(instance, fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} on {type(instance).__name__}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _field_names(model) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields if f.name not in ("id", "panel"))


def _check_day(panel: Panel) -> None:
    """The agenda and its breaks must fit between the panel's start and end."""
    for pause in panel.breaks.all():
        if pause.starts_at < panel.start_time or pause.ends_at > panel.end_time:
            raise ValidationError(
                f"The {pause.label.lower()} break ({pause.starts_at:%H:%M} to "
                f"{pause.ends_at:%H:%M}) falls outside the panel's day."
            )
    rows = panel.timetable()
    finish = max((row.ends_at for row in rows), default=None)
    if finish and finish > panel.end_time:
        raise ValidationError(
            f"The agenda runs until {finish:%H:%M}, after the panel ends at "
            f"{panel.end_time:%H:%M}. Shorten a section or make the day longer."
        )


def _save(instance, panel: Panel):
    instance.full_clean()
    instance.save()
    _check_day(panel)
    return instance


def _recompute_children_if_limits_changed(panel: Panel, before: PanelLimits | None) -> None:
    """A child's derived dates follow its panel's limits (DESIGN: recompute on change)."""
    if before is not None and before != PanelLimits.of(panel):
        tracker_services.dates_recompute_start()


def _stored_limits(panel: Panel) -> PanelLimits | None:
    stored = Panel.objects.filter(pk=panel.pk).first() if panel.pk else None
    return PanelLimits.of(stored) if stored else None


@transaction.atomic
def panel_update(*, panel: Panel, **settings) -> Panel:
    before = _stored_limits(panel)
    set_fields(panel, settings, PANEL_SETTINGS)
    _save(panel, panel)
    _recompute_children_if_limits_changed(panel, before)
    return panel


def _ready_for_tracking(section: AgendaSection) -> None:
    """A tracking section's children are booked as the panel's tracking review and given a
    tracking review's outcomes: a panel set up by hand gets both when it first has one."""
    if not section.tracking:
        return
    panel = section.panel
    RequestType.objects.get_or_create(
        panel=panel,
        purpose=RequestPurpose.TRACKING,
        defaults={
            "name": "Tracking review",
            "default_section": section,
            "needs_submission_form": False,
            "order": panel.request_types.count() + 1,
        },
    )
    have = set(panel.outcomes.values_list("effect", flat=True))
    order = panel.outcomes.count()
    for outcome in presets.TRACKING_OUTCOMES:
        if outcome.effect not in have:
            order += 1
            Outcome.objects.create(
                panel=panel, name=outcome.name, effect=outcome.effect, order=order
            )


@transaction.atomic
def agenda_section_create(*, panel: Panel, **fields) -> AgendaSection:
    section = AgendaSection(panel=panel)
    set_fields(section, fields, _field_names(AgendaSection))
    section = _save(section, panel)
    _ready_for_tracking(section)
    return section


@transaction.atomic
def agenda_section_update(*, section: AgendaSection, **fields) -> AgendaSection:
    set_fields(section, fields, _field_names(AgendaSection))
    section = _save(section, section.panel)
    _ready_for_tracking(section)
    return section


@transaction.atomic
def agenda_section_delete(*, section: AgendaSection) -> None:
    if section.bookings.exists():
        raise ValidationError(
            "Children have been booked into this section. Move or cancel their bookings first."
        )
    section.delete()


@transaction.atomic
def break_create(*, panel: Panel, **fields) -> Break:
    pause = Break(panel=panel)
    set_fields(pause, fields, _field_names(Break))
    return _save(pause, panel)


@transaction.atomic
def break_update(*, pause: Break, **fields) -> Break:
    set_fields(pause, fields, _field_names(Break))
    return _save(pause, pause.panel)


@transaction.atomic
def break_delete(*, pause: Break) -> None:
    pause.delete()


@transaction.atomic
def request_type_create(*, panel: Panel, **fields) -> RequestType:
    request_type = RequestType(panel=panel)
    set_fields(request_type, fields, _field_names(RequestType))
    return _save(request_type, panel)


@transaction.atomic
def request_type_update(*, request_type: RequestType, **fields) -> RequestType:
    set_fields(request_type, fields, _field_names(RequestType))
    return _save(request_type, request_type.panel)


@transaction.atomic
def request_type_delete(*, request_type: RequestType) -> None:
    if request_type.panel.bookings.filter(request_type=request_type).exists():
        raise ValidationError(
            "Children have been booked with this request type, so it stays on their bookings. "
            "Rename it instead."
        )
    request_type.delete()


@transaction.atomic
def document_requirement_create(*, panel: Panel, **fields) -> DocumentRequirement:
    document = DocumentRequirement(panel=panel)
    set_fields(document, fields, _field_names(DocumentRequirement))
    return _save(document, panel)


@transaction.atomic
def document_requirement_update(*, document: DocumentRequirement, **fields) -> DocumentRequirement:
    set_fields(document, fields, _field_names(DocumentRequirement))
    return _save(document, document.panel)


@transaction.atomic
def document_requirement_delete(*, document: DocumentRequirement) -> None:
    document.delete()


@transaction.atomic
def panel_membership_create(*, panel: Panel, **fields) -> PanelMembership:
    membership = PanelMembership(panel=panel)
    set_fields(membership, fields, _field_names(PanelMembership))
    return _save(membership, panel)


@transaction.atomic
def panel_membership_update(*, membership: PanelMembership, **fields) -> PanelMembership:
    set_fields(membership, fields, _field_names(PanelMembership))
    return _save(membership, membership.panel)


@transaction.atomic
def panel_membership_delete(*, membership: PanelMembership) -> None:
    membership.delete()


@dataclass(frozen=True)
class PresetResult:
    panel: Panel
    created: bool
    changes: int  # settings and rows created, changed or removed to match the preset


def _sync(*, existing, key: str, rows: list[dict], new) -> int:
    """Make `existing` hold exactly `rows`, matched on `key`; return how many rows changed.

    Rows are updated in place rather than recreated, so anything that points at them
    (a booking's section, say) keeps pointing at the same row.
    """
    stale = existing.exclude(**{f"{key}__in": [row[key] for row in rows]})
    changes = stale.count()
    stale.delete()
    current = {getattr(obj, key): obj for obj in existing.all()}

    # Sections are unique by number within a panel: park any that move above every
    # number in use, so two sections can swap places without colliding.
    if rows and "order" in rows[0]:
        wanted_order = {row[key]: row["order"] for row in rows}
        moving = [obj for name, obj in current.items() if obj.order != wanted_order[name]]
        parking = max([obj.order for obj in current.values()] + list(wanted_order.values())) + 1
        for offset, obj in enumerate(moving):
            obj.order = parking + offset
            obj.save(update_fields=["order"])

    for row in rows:
        obj = current.get(row[key])
        if obj is None:
            obj = new(**row)
        elif all(getattr(obj, name) == value for name, value in row.items()):
            continue
        else:
            for name, value in row.items():
                setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        changes += 1
    return changes


def _documents(documents) -> list[dict]:
    return [{**asdict(document), "order": n} for n, document in enumerate(documents, start=1)]


@transaction.atomic
def panel_preset_load(*, slug: str) -> PresetResult:
    """Create the panel from its terms of reference, or put it back to them.

    Running it twice changes nothing; running it after an edit restores the preset's
    settings, sections, breaks, request types, documents and seats. The chair, deputy
    chair and the people in each seat are left as they are.
    """
    try:
        preset = presets.PRESETS[slug]
    except KeyError:
        known = ", ".join(presets.PRESETS)
        raise ValueError(f"There is no preset called {slug!r}. The presets are: {known}.") from None

    unknown = set(preset.settings) - PRESET_SETTINGS
    if unknown:
        raise ValueError(f"The {slug} preset sets unknown fields: {', '.join(sorted(unknown))}")
    settings = {name: Panel._meta.get_field(name).get_default() for name in PRESET_SETTINGS}
    settings |= {"name": preset.name, **preset.settings}
    # Compare against the settings as the model tidies them (a fortnightly panel has no
    # week of the month), or every reload would count them as changed.
    tidy = Panel(**settings)
    tidy.clean()
    settings = {name: getattr(tidy, name) for name in settings}

    panel = Panel.objects.select_for_update().filter(slug=slug).first()
    created = panel is None
    if created:
        panel = Panel(slug=slug, **settings)
        changes = 1
    else:
        changes = sum(getattr(panel, name) != value for name, value in settings.items())
        set_fields(panel, settings, PRESET_SETTINGS)
    if changes:
        before = _stored_limits(panel)
        panel.full_clean()
        panel.save()
        _recompute_children_if_limits_changed(panel, before)

    changes += _sync(
        existing=panel.sections.all(),
        key="name",
        rows=[{**asdict(section), "order": n} for n, section in enumerate(preset.sections, 1)],
        new=partial(AgendaSection, panel=panel),
    )
    changes += _sync(
        existing=panel.breaks.all(),
        key="starts_at",
        rows=[asdict(pause) for pause in preset.breaks],
        new=partial(Break, panel=panel),
    )
    sections = {section.name: section for section in panel.sections.all()}
    changes += _sync(
        existing=panel.request_types.all(),
        key="name",
        rows=[
            {
                "name": request_type.name,
                "order": n,
                "default_section": sections[request_type.section] if request_type.section else None,
                "needs_senior_decision": request_type.needs_senior_decision,
                "purpose": request_type.purpose,
                "needs_submission_form": request_type.needs_submission_form,
                "carries_amounts": request_type.carries_amounts,
                "needs_guardians_feedback": request_type.needs_guardians_feedback,
            }
            for n, request_type in enumerate(preset.request_types, 1)
        ],
        new=partial(RequestType, panel=panel),
    )
    for request_type_preset in preset.request_types:
        request_type = panel.request_types.get(name=request_type_preset.name)
        changes += _sync(
            existing=request_type.document_requirements.all(),
            key="name",
            rows=_documents(request_type_preset.documents),
            new=partial(DocumentRequirement, panel=panel, request_type=request_type),
        )
    changes += _sync(
        existing=panel.document_requirements.filter(request_type__isnull=True),
        key="name",
        rows=_documents(preset.documents_for_every_request),
        new=partial(DocumentRequirement, panel=panel),
    )
    changes += _sync(
        existing=panel.outcomes.all(),
        key="name",
        rows=[
            {"name": outcome.name, "effect": outcome.effect, "order": n}
            for n, outcome in enumerate((*preset.outcomes, *presets.TRACKING_OUTCOMES), 1)
        ],
        new=partial(Outcome, panel=panel),
    )
    changes += _sync(
        existing=panel.memberships.all(),
        key="role_on_panel",
        rows=[{**asdict(member), "order": n} for n, member in enumerate(preset.members, 1)],
        new=partial(PanelMembership, panel=panel),
    )
    changes += _sync(
        existing=panel.expected_contributions.all(),
        key="kind",
        rows=contributions.preset_rows(panel, preset.contributions),
        new=partial(ExpectedContribution, panel=panel),
    )
    changes += _sync(
        existing=panel.planning_questions.all(),
        key="text",
        rows=[
            {**asdict(question), "order": n}
            for n, question in enumerate(preset.planning_questions, 1)
        ],
        new=partial(PlanningQuestion, panel=panel),
    )
    _check_day(panel)
    return PresetResult(panel=panel, created=created, changes=changes)


# A person's seats, set from their page in People ------------------------------------------

CHAIR, DEPUTY = "chair", "deputy"


@dataclass(frozen=True)
class Place:
    """Where a person sits on one panel: chairing (CHAIR, DEPUTY or "") and a seat or none."""

    chairing: str = ""
    seat: PanelMembership | None = None


@transaction.atomic
def person_seats_set(*, person, places: dict[Panel, Place]) -> list[str]:
    """Put the person in the given places on each panel, and out of any other place on those
    panels. Whoever held a place they take gives it up; returns a sentence for each, so the
    administrator knows whose seat to fill."""
    if not person.is_active:
        raise ValidationError(f"{person} is deactivated. Reactivate them first.")
    if any(place.chairing for place in places.values()) and not person.has_any_role(Role.CHAIR):
        raise ValidationError(f"Give {person} the Chair role before they chair a panel.")
    displaced = []
    for panel, place in places.items():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        displaced += _chairing_set(panel, person, place.chairing)
        displaced += _seat_set(panel, person, place.seat)
    return displaced


def _chairing_set(panel: Panel, person, chairing: str) -> list[str]:
    fields = {CHAIR: "chair", DEPUTY: "deputy_chair"}
    displaced = []
    for kind, field in fields.items():
        holder = getattr(panel, field)
        if kind == chairing and holder != person:
            if holder is not None:
                title = "joint chair" if panel.deputy_is_joint_chair else field.replace("_", " ")
                displaced.append(f"{holder} is no longer {title} of the {panel}.")
            setattr(panel, field, person)
        elif kind != chairing and holder == person:
            setattr(panel, field, None)
    panel.save(update_fields=list(fields.values()))
    return displaced


def _seat_set(panel: Panel, person, seat: PanelMembership | None) -> list[str]:
    if seat is not None and seat.panel_id != panel.pk:
        raise ValidationError(f"{seat.role_on_panel} is not a seat on the {panel}.")
    panel.memberships.filter(user=person).exclude(pk=getattr(seat, "pk", None)).update(user=None)
    if seat is None:
        return []
    seat = PanelMembership.objects.select_for_update().get(pk=seat.pk)
    if seat.user_id == person.pk:
        return []
    holder = seat.user
    seat.user = person
    seat.save(update_fields=["user"])
    return [f"{holder} no longer sits on the {panel} as {seat.role_on_panel}."] if holder else []


@transaction.atomic
def seats_free(*, person) -> None:
    """A leaver gives up every place on every panel."""
    Panel.objects.filter(chair=person).update(chair=None)
    Panel.objects.filter(deputy_chair=person).update(deputy_chair=None)
    PanelMembership.objects.filter(user=person).update(user=None)
