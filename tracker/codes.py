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
    K3 = "K3", "K3 Registered supported accommodation"
    P1 = "P1", "P1 Placed with own parent(s) or person with parental responsibility"
    P2 = "P2", "P2 Independent living"
    P3 = "P3", "P3 Residential employment"
    R1 = "R1", "R1 Residential care home"
    R2 = "R2", "R2 NHS or health trust"
    R3 = "R3", "R3 Family centre or mother and baby unit"
    R5 = "R5", "R5 Young offender institution or prison"
    S1 = "S1", "S1 Residential school"
    T0 = "T0", "T0 All types of temporary move"
    T1 = "T1", "T1 Temporary periods in hospital"
    T2 = "T2", "T2 Temporary absences of the child on holiday"
    T3 = "T3", "T3 Temporary accommodation while the usual foster carers are on holiday"
    T4 = "T4", "T4 Temporary accommodation of seven days or less, not covered by T1 to T3"
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


class ReasonNewEpisode(models.TextChoices):
    """SSDA903 RNE: why an episode of care began."""

    S = "S", "S Started to be looked after"
    L = "L", "L Change of legal status only"
    P = "P", "P Change of placement and carer(s) only"
    T = "T", "T Change of placement (but same carer(s)) only"
    B = "B", "B Change of legal status and placement and carer(s) at the same time"
    U = "U", "U Change of legal status and change of placement (but same carer(s))"


class ReasonEpisodeCeased(models.TextChoices):
    """SSDA903 REC: why an episode of care ended. X1 means another episode follows; every
    other code ends the period of care."""

    X1 = "X1", "X1 Episode ceases and a new one begins the same day"
    E11 = "E11", "E11 Adopted: application unopposed"
    E12 = "E12", "E12 Adopted: consent dispensed with by the court"
    E13 = (
        "E13",
        "E13 Left care to live with parents, relatives or others without parental responsibility",
    )
    E14 = "E14", "E14 Accommodation on remand ended"
    E15 = "E15", "E15 Age assessment found the child aged 18 or over"
    E16 = "E16", "E16 Child moved abroad"
    E17 = "E17", "E17 Aged 18 or over and stayed with current carers (staying put)"
    E2 = "E2", "E2 Died"
    E3 = "E3", "E3 Care taken over by another local authority"
    E4A = "E4A", "E4A Returned home as part of the care plan"
    E4B = "E4B", "E4B Returned home, not as part of the care plan"
    E41 = "E41", "E41 Child arrangements (residence) order granted"
    E45 = (
        "E45",
        "E45 Special guardianship order to former foster carers who are relatives or friends",
    )
    E46 = (
        "E46",
        "E46 Special guardianship order to former foster carers, not relatives or friends",
    )
    E47 = (
        "E47",
        "E47 Special guardianship order to relatives or friends, not former foster carers",
    )
    E48 = "E48", "E48 Special guardianship order to other carers"
    E5 = "E5", "E5 Moved into independent living with formal support"
    E6 = "E6", "E6 Moved into independent living without formal support"
    E7 = "E7", "E7 Transferred to residential care funded by adult social care"
    E8 = "E8", "E8 Period of care ceased for any other reason"
    E9 = "E9", "E9 Sentenced to custody"


# The reasons that mean permanence, as the DfE guidance defines them: adopted, a special
# guardianship order, a child arrangements (residence) order. Any other reason "ceased".
PERMANENCE_REASONS = frozenset(
    {
        ReasonEpisodeCeased.E11,
        ReasonEpisodeCeased.E12,
        ReasonEpisodeCeased.E41,
        ReasonEpisodeCeased.E45,
        ReasonEpisodeCeased.E46,
        ReasonEpisodeCeased.E47,
        ReasonEpisodeCeased.E48,
    }
)


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
