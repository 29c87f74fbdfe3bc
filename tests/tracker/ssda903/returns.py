"""Small SSDA903 returns the tests build, one child at a time, as CSV tables or XML."""

from dataclasses import dataclass, field

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE"
PLACED = "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED"
AD1 = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR"


@dataclass
class Kid:
    child: str
    sex: str = "1"
    dob: str = "01/02/2015"
    # (DECOM, RNE, LS, PLACE, DEC, REC)
    episodes: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)  # DATE_PLACED
    matches: list[str] = field(default_factory=list)  # DATE_MATCH


def _csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def csv_tables(*kids: Kid) -> list[tuple[str, bytes]]:
    """The return as its five CSV tables, named as the DfE names them."""
    header = [f"{k.child},{k.sex},{k.dob},WBRI,A123456789012,," for k in kids]
    episodes = [
        f"{k.child},{decom},{rne},{ls},N1,{place},PR1,{dec},{rec},,,,"
        for k in kids
        for decom, rne, ls, place, dec, rec in k.episodes
    ]
    reviews = [f"{k.child},{k.dob},{review},PN1" for k in kids for review in k.reviews]
    placed = [f"{k.child},{k.dob},{d},," for k in kids for d in k.placed]
    ad1 = [f"{k.child},{k.dob},{d},{d},0,1,MF,L0" for k in kids for d in k.matches]
    return [
        ("header.csv", _csv(HEADER, *header)),
        ("episodes.csv", _csv(EPISODES, *episodes)),
        ("reviews.csv", _csv(REVIEWS, *reviews)),
        ("placed_for_adoption.csv", _csv(PLACED, *placed)),
        ("ad1.csv", _csv(AD1, *ad1)),
    ]


def _tag(name: str, text: str) -> str:
    return f"<{name}>{text}</{name}>" if text else f"<{name} />"


def xml_return(*kids: Kid, reviews_in_header: bool = True) -> list[tuple[str, bytes]]:
    """The return as one EXPSSDA903 file: AREVIEW inside HEADER, as in the shared return,
    or directly under CHILD."""
    children = []
    for k in kids:
        reviews = "".join(
            f"<AREVIEW>{_tag('REVIEW', r)}{_tag('REVIEW_CODE', 'PN1')}</AREVIEW>" for r in k.reviews
        )
        placed = "".join(f"<AD_PLACED>{_tag('DATE_PLACED', d)}</AD_PLACED>" for d in k.placed)
        matches = "".join(_tag("DATE_MATCH", d) for d in k.matches)
        header = (
            f"<HEADER>{_tag('CHILDID', k.child)}{_tag('SEX', k.sex)}{_tag('DOB', k.dob)}"
            f"{matches}{reviews if reviews_in_header else ''}{placed}</HEADER>"
        )
        episodes = "".join(
            "<EPISODE>"
            + "".join(
                _tag(name, value)
                for name, value in zip(
                    ("DECOM", "RNE", "LS", "PL", "DEC", "REC"), episode, strict=True
                )
            )
            + "</EPISODE>\n"
            for episode in k.episodes
        )
        after = "" if reviews_in_header else reviews
        children.append(f"<CHILD>{header}\n{after}{episodes}</CHILD>\n")
    text = "<?xml version='1.0' encoding='us-ascii'?>\n<EXPSSDA903>\n" + "".join(children)
    return [("return.xml", (text + "</EXPSSDA903>\n").encode())]
