"""Code lists the tracker records, in the Department for Education's SSDA903 codes."""

from django.db import models
from django.utils.formats import date_format


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"


class LegalStatus(models.TextChoices):
    C1 = "C1", "C1 Interim care order"
    C2 = "C2", "C2 Full care order"
    D1 = "D1", "D1 Freeing order"
    E1 = "E1", "E1 Placement order"
    J1 = "J1", "J1 Remanded to local authority accommodation"
    J2 = "J2", "J2 PACE accommodation"
    J3 = "J3", "J3 Youth rehabilitation order with residence or fostering requirement"
    L1 = "L1", "L1 Police protection"
    L2 = "L2", "L2 Emergency protection order"
    L3 = "L3", "L3 Child assessment order"
    V2 = "V2", "V2 Accommodated under section 20 (single period)"
    V3 = "V3", "V3 Series of short breaks recorded as episodes"
    V4 = "V4", "V4 Short breaks recorded as agreements"


class PlacementType(models.TextChoices):
    A3 = "A3", "A3 Placed for adoption with consent, with current foster carer"
    A4 = "A4", "A4 Placed for adoption with consent, not with current foster carer"
    A5 = "A5", "A5 Placed for adoption with placement order, with current foster carer"
    A6 = "A6", "A6 Placed for adoption with placement order, not with current foster carer"
    H5 = "H5", "H5 Semi-independent living accommodation"
    K1 = "K1", "K1 Secure children's home"
    K2 = "K2", "K2 Children's home"
    P1 = "P1", "P1 Placed with own parent(s) or person with parental responsibility"
    P2 = "P2", "P2 Independent living"
    P3 = "P3", "P3 Residential employment"
    R1 = "R1", "R1 Residential care home"
    R2 = "R2", "R2 NHS or health trust"
    R3 = "R3", "R3 Family centre or mother and baby unit"
    R5 = "R5", "R5 Young offender institution or prison"
    S1 = "S1", "S1 Residential school"
    T0 = "T0", "T0 Temporary placement"
    T1 = "T1", "T1 Temporary placement"
    T2 = "T2", "T2 Temporary placement"
    T3 = "T3", "T3 Temporary placement"
    T4 = "T4", "T4 Temporary placement"
    U1 = "U1", "U1 Foster placement with relative or friend: long-term"
    U2 = (
        "U2",
        "U2 Foster placement with relative or friend: fostering for adoption or concurrent planning",  # noqa: E501
    )
    U3 = "U3", "U3 Foster placement with relative or friend: other"
    U4 = "U4", "U4 Foster placement with other foster carer: long-term"
    U5 = (
        "U5",
        "U5 Foster placement with other foster carer: fostering for adoption or concurrent planning",  # noqa: E501
    )
    U6 = "U6", "U6 Foster placement with other foster carer: other"
    Z1 = "Z1", "Z1 Other placement"


class Plan(models.TextChoices):
    REUNIFICATION = "reunification", "Reunification"
    PLACEMENT_WITH_PARENTS = "placement_with_parents", "Placement with parents"
    SPECIAL_GUARDIANSHIP = "special_guardianship", "Special guardianship"
    CHILD_ARRANGEMENTS_ORDER = "child_arrangements_order", "Child arrangements order"
    ADOPTION = "adoption", "Adoption"
    LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
    CONNECTED_PERSON_FOSTERING = "connected_person_fostering", "Connected person fostering"
    RESIDENTIAL = "residential", "Residential"
    STAYING_PUT = "staying_put", "Staying Put"
    INDEPENDENCE = "independence", "Independence"
    OTHER = "other", "Other"


class ReviewUnit(models.TextChoices):
    """The unit of the review frequency a chair sets for a child: "every 6 weeks"."""

    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"


def review_frequency_in_words(every: int | None, unit: str, by) -> str:
    """ "every 6 weeks", "every 1 month", "by Friday 15 January 2027", or "" when unset."""
    if by:
        return f"by {date_format(by)}"
    if every:
        return f"every {every} {unit.removesuffix('s') if every == 1 else unit}"
    return ""
