"""How a measure's figure reads: "432 days", "41.3 weeks", "75%", or "No children"."""

from django import template

register = template.Library()


def value_in_words(value, unit: str) -> str:
    if value is None:
        return "No children"
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "weeks":
        return f"{value:.1f} weeks"
    return f"{value:.0f} {unit}"


@register.filter
def shown(figure, unit: str) -> str:
    return value_in_words(figure.value, unit)


@register.filter
def over(figure) -> str:
    """Who the figure is over: "3 of 4 children", "4 children", or "no children"."""
    if not figure.children:
        return "no children"
    children = f"{figure.children} child{'' if figure.children == 1 else 'ren'}"
    return children if figure.met is None else f"{figure.met} of {children}"


@register.filter
def national(measure) -> str:
    return value_in_words(measure.national, measure.unit)


@register.filter
def tally(counted) -> str:
    """A deadline kept: "80% (8 of 10)", or "None due" when nothing fell due."""
    if not counted.due:
        return "None due"
    return f"{counted.share:.0f}% ({counted.on_time} of {counted.due})"


@register.filter
def per_meeting(value) -> str:
    return "No meetings" if value is None else f"{value:.1f}"


@register.inclusion_tag("tracker/includes/measure_verdict.html")
def verdict(measure, figure):
    """Whether a figure meets the national figure beside it: a tag, or nothing without one."""
    return {"meets": measure.meets(figure)}
