"""GOV.UK Design System components as template tags: a page passes the words and the links,
and each component's markup is written once, under templates/govuk/. This is the Django
template form of govuk-frontend's Nunjucks macros (`govukSummaryList({...})` and the rest).

    {% load govuk %}
    {% summary_list %}
      {% summary_row "Venue" %}{{ meeting.venue|default:"Not set" }}{% endsummary_row %}
      {% summary_row "Request" change_url=url visually_hidden="request" %}
        {{ request_type }}
      {% endsummary_row %}
    {% endsummary_list %}
    {% status_tag "Overdue" "red" %}
    {% error_summary form %}
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..forms import error_links

register = template.Library()


def _trimmed(content: str) -> str:
    # A block's content is this page's own rendered output, already escaped; it is trimmed
    # as the GOV.UK macros trim theirs, so the markup reads the same however it is indented.
    return mark_safe(content.strip())  # noqa: S308


def _actions(change_url, remove_url, action_url, action_text, visually_hidden) -> list[dict]:
    """The links of a row or a card: "Change", "Remove", or one of the page's own words, each
    followed, for screen readers, by what it acts on."""
    links = [("Change", change_url), ("Remove", remove_url), (action_text, action_url)]
    return [
        {"text": text, "href": href, "visually_hidden": visually_hidden}
        for text, href in links
        if href
    ]


@register.simple_tag
def status_tag(text, colour="", *, classes="", data=""):
    """A GOV.UK tag. `colour` is one of govuk-frontend's (grey, green, red, yellow, blue,
    orange…); `classes` adds the service's own, such as app-tag--stacked; `data` names the
    data- attribute a script finds the tag by."""
    names = ["govuk-tag", *([f"govuk-tag--{colour}"] if colour else []), *classes.split()]
    hook = format_html(" data-{}", data) if data else ""
    return format_html('<strong class="{}"{}>{}</strong>', " ".join(names), hook, text)


@register.simple_block_tag
def summary_list(content, *, classes="", id=""):
    """A GOV.UK summary list around its `summary_row`s."""
    return render_to_string(
        "govuk/summary_list.html", {"rows": _trimmed(content), "classes": classes, "id": id}
    )


@register.simple_block_tag
def summary_row(
    content,
    key,
    *,
    value_id="",
    change_url="",
    remove_url="",
    action_url="",
    action_text="",
    visually_hidden="",
    no_actions=False,
):
    """One row: `key` in the <dt>, the block (which may hold links, lists and tags) in the
    <dd>. Links go in the row's actions; in a list where other rows have actions, a row
    without any says `no_actions=True`, as the Design System asks."""
    return render_to_string(
        "govuk/summary_row.html",
        {
            "key": key,
            "value": _trimmed(content),
            "value_id": value_id,
            "actions": _actions(change_url, remove_url, action_url, action_text, visually_hidden),
            "no_actions": no_actions,
        },
    )


@register.simple_block_tag
def summary_card(
    content,
    title,
    *,
    heading_level=2,
    id="",
    change_url="",
    remove_url="",
    action_url="",
    action_text="",
    visually_hidden="",
):
    """A GOV.UK summary card: `title` as its heading, with the card's links beside it, and the
    block (usually a summary list) as its content."""
    return render_to_string(
        "govuk/summary_card.html",
        {
            "title": title,
            "heading_level": heading_level,
            "id": id,
            "actions": _actions(change_url, remove_url, action_url, action_text, visually_hidden),
            "content": _trimmed(content),
        },
    )


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(*forms, errors=(), messages=()):
    """The GOV.UK error summary, shown only when there is an error: every error on the
    `forms`, each linked to its field; then `errors`, already gathered as {"text", "href"}
    (a page of several forms); then `messages`, refusals sent with messages.error, which
    have no field to link to."""
    # A page may name a form it does not always have: a missing one has no errors.
    forms = [form for form in forms if form]
    return {
        "errors": [
            *error_links(*forms),
            *errors,
            *({"text": message, "href": ""} for message in messages),
        ]
    }


@register.simple_block_tag
def notification_banner(
    content, heading="", *, type="", title_id="notification-title", disable_auto_focus=False
):
    """A GOV.UK notification banner: `heading` in the banner's heading style, then the block.
    `type="success"` makes it the green success banner, which takes the focus when the page
    loads unless `disable_auto_focus` (a page that puts the focus on a field itself). `title_id`
    must be unique on the page: the banner is labelled by its title."""
    return render_to_string(
        "govuk/notification_banner.html",
        {
            "heading": heading,
            "content": _trimmed(content),
            "success": type == "success",
            "title_id": title_id,
            "disable_auto_focus": disable_auto_focus,
        },
    )
