"""What one child's part of an SSDA903 return means for the tracker: the mapping, written
out in the README's "SSDA903 import" section, rule by rule. Pure: it reads a child of the
return and the tracker's stored child (or None), and returns the fields to set, or the
reasons the child cannot be taken.
"""

from dataclasses import dataclass, field
from datetime import date

from ...codes import (
    PERMANENCE_REASONS,
    LegalStatus,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    Sex,
)
from .read import Episode, ReturnChild

SEXES = {"1": Sex.MALE, "2": Sex.FEMALE}
ADOPTION_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6"})
# Another episode follows, beginning the day this one ends.
CONTINUES = ReasonEpisodeCeased.X1

# The fields the return sets; everything else (names, team, panel, social worker, plans,
# court dates) is the administrator's and is never touched.
MAPPED_FIELDS = (
    "date_of_birth",
    "sex",
    "looked_after_since",
    "looked_after_since_at_least",
    "legal_status",
    "placement_type",
    "placement_start",
    "first_review_date",
    "second_review_date",
    "last_review_date",
    "placed_for_adoption_date",
    "adoption_decision_date",
    "match_date",
    "permanence_secured_date",
    "care_ceased_date",
    "care_ceased_reason",
)


@dataclass
class Mapped:
    fields: dict = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # reasons, for a person to act on
    skipped: str = ""  # why a child with nothing to take is left alone
    at_least: bool = False  # its period of care began before the return


# The code lists an episode's codes are checked against: (column, attribute, codes, words).
CODE_LISTS = (
    ("RNE", "rne", frozenset(ReasonNewEpisode.values), "reason for new episode"),
    ("LS", "ls", frozenset(LegalStatus.values), "legal status"),
    ("PLACE", "place", frozenset(PlacementType.values), "placement type"),
    ("REC", "rec", frozenset(ReasonEpisodeCeased.values), "reason episode ceased"),
)


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _code_problems(child: ReturnChild) -> list[str]:
    problems = []
    if child.sex and child.sex not in SEXES:
        problems.append(f"SEX “{child.sex}” is not an SSDA903 code (1 male, 2 female)")
    for episode in child.episodes:
        for column, name, known, words in CODE_LISTS:
            code = getattr(episode, name)
            if column == "REC" and not code:
                continue
            if code not in known:
                problems.append(
                    f"{column} “{code}” in {episode} is not a {words} code the tracker knows"
                )
    return problems


def _order_problems(episodes: list[Episode]) -> list[str]:
    """Episodes that make no sense one after another."""
    problems = []
    for number, episode in enumerate(episodes):
        # An open episode's REC says nothing (returns often carry X1 there); any other
        # reason to end without an end date, or an end without a reason, makes no sense.
        if episode.dec and not episode.rec:
            problems.append(f"{episode} has an end date (DEC) but no reason (REC)")
        if not episode.dec and episode.rec and episode.rec != CONTINUES:
            problems.append(f"{episode} has a reason it ended (REC {episode.rec}) but no DEC")
        if episode.dec and episode.dec < episode.decom:
            problems.append(
                f"{episode} ends ({_day(episode.dec)}) before it begins ({_day(episode.decom)})"
            )
        following = episodes[number + 1] if number + 1 < len(episodes) else None
        if following is None:
            if episode.dec and episode.rec == CONTINUES:
                problems.append(f"{episode} ends with X1 (another episode follows) but none does")
            continue
        if not episode.dec:
            problems.append(
                f"{episode} is still open, but another begins on {_day(following.decom)}"
            )
        elif following.decom < episode.dec:
            problems.append(f"{episode} and {following} overlap")
        elif episode.rec == CONTINUES and following.decom != episode.dec:
            problems.append(
                f"{episode} ends with X1 on {_day(episode.dec)}, but "
                f"the next begins on {_day(following.decom)}"
            )
    return problems


def _last_period(episodes: list[Episode]) -> list[Episode]:
    """The unbroken run after the last episode that ended the period of care (a REC other
    than X1): the current period, or the one that has just ended."""
    start = 0
    for number, episode in enumerate(episodes[:-1]):
        if episode.rec and episode.rec != CONTINUES:
            start = number + 1
    return episodes[start:]


def _placement_start(period: list[Episode]) -> date:
    """The first DECOM of the unbroken run with the latest episode's placement."""
    start = period[-1]
    for episode in reversed(period):
        if episode.place != start.place:
            break
        start = episode
    return start.decom


def _reviews(child: ReturnChild, stored, start: date, end: date | None) -> dict:
    """First, second and latest review within the period of care: the return's reviews
    with the tracker's own, so a return that begins mid-period keeps the first reviews
    the tracker already holds."""
    held = set(child.reviews)
    if stored is not None:
        held |= {
            d
            for d in (stored.first_review_date, stored.second_review_date, stored.last_review_date)
            if d
        }
    within = sorted(d for d in held if d >= start and (end is None or d <= end))
    return {
        "first_review_date": within[0] if within else None,
        "second_review_date": within[1] if len(within) > 1 else None,
        "last_review_date": within[-1] if len(within) > 1 else None,
    }


def child_mapped(child: ReturnChild, stored) -> Mapped:
    """The tracker's fields for a child of the return, or why the child is refused."""
    mapped = Mapped()
    if not child.where:
        mapped.refused.append("the return has episodes or dates for this child but no header")
    mapped.refused += _code_problems(child)
    episodes = sorted(child.episodes, key=lambda episode: episode.decom)
    if not mapped.refused:
        mapped.refused += _order_problems(episodes)
    if mapped.refused:
        return mapped
    if not episodes:
        mapped.skipped = "no episodes of care in the return"
        return mapped

    period = _last_period(episodes)
    first, latest = period[0], period[-1]
    fields = mapped.fields
    # An empty SEX or DOB says nothing: the tracker keeps what it has.
    if child.dob:
        fields["date_of_birth"] = child.dob
    if child.sex:
        fields["sex"] = SEXES[child.sex]

    # When the period began: RNE S says so; otherwise it began before the return.
    kept = stored.looked_after_since if stored is not None else None
    if kept and stored.care_ceased_date and stored.care_ceased_date <= first.decom:
        kept = None  # the start of a period that ended before this one began
    if first.rne == ReasonNewEpisode.S:
        fields["looked_after_since"], fields["looked_after_since_at_least"] = first.decom, False
    elif kept and kept < first.decom:
        fields["looked_after_since"] = kept
        fields["looked_after_since_at_least"] = stored.looked_after_since_at_least
    else:
        fields["looked_after_since"], fields["looked_after_since_at_least"] = first.decom, True
    mapped.at_least = fields["looked_after_since_at_least"]
    since = fields["looked_after_since"]

    fields["legal_status"] = latest.ls
    fields["placement_type"] = latest.place
    fields["placement_start"] = _placement_start(period)
    fields.update(_reviews(child, stored, since, latest.dec))

    secured = stored.permanence_secured_date if stored is not None else None
    if latest.dec is None:
        # Still looked after: a permanence recorded before this period began has broken down.
        fields["permanence_secured_date"] = secured if secured and secured > since else None
        fields["care_ceased_date"], fields["care_ceased_reason"] = None, ""
    elif latest.rec in PERMANENCE_REASONS:
        fields["permanence_secured_date"] = latest.dec
        fields["care_ceased_date"], fields["care_ceased_reason"] = None, ""
    else:
        fields["permanence_secured_date"] = secured
        fields["care_ceased_date"], fields["care_ceased_reason"] = latest.dec, latest.rec

    # Placed for adoption is the day the child moved in: the first A3-A6 placement.
    placed = next((e.decom for e in period if e.place in ADOPTION_PLACEMENTS), None)
    kept_placed = stored.placed_for_adoption_date if stored is not None else None
    if placed and not (kept_placed and since <= kept_placed < placed):
        fields["placed_for_adoption_date"] = placed
    # SSDA903's DATE_PLACED is the decision that the child should be placed for adoption.
    if child.adoption_decisions:
        fields["adoption_decision_date"] = max(child.adoption_decisions)
    if child.matches:
        fields["match_date"] = max(child.matches)
    return mapped
