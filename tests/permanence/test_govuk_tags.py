"""The GOV.UK components as template tags render the Design System's markup, escape what a
page passes them and keep the markup a page puts inside them."""

import pytest
from django import forms
from django.template import Context, Template

from permanence.fields import DateField


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def squeeze(html: str) -> str:
    return "".join(line.strip() for line in html.splitlines())


# The status tag -------------------------------------------------------------------------


def test_a_status_tag_has_its_colour():
    assert render('{% status_tag "Overdue" "red" %}') == (
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    )


def test_a_status_tag_without_a_colour_is_the_default_tag():
    assert render('{% status_tag "Sent" %}') == '<strong class="govuk-tag">Sent</strong>'


def test_a_status_tag_takes_the_services_classes_and_a_scripts_hook():
    html = render(
        '{% status_tag text "orange" classes="app-tag--stacked" data="pack-out-of-date" %}',
        text="<Out of date>",
    )
    assert html == (
        '<strong class="govuk-tag govuk-tag--orange app-tag--stacked" data-pack-out-of-date>'
        "&lt;Out of date&gt;</strong>"
    )


# The summary list -----------------------------------------------------------------------


def test_a_summary_list_holds_its_rows_with_the_value_trimmed():
    html = render(
        "{% summary_list %}"
        '{% summary_row "Venue" %}\n  {{ venue }}\n{% endsummary_row %}'
        '{% summary_row "Link" %}<a class="govuk-link" href="/x">Join</a>{% endsummary_row %}'
        "{% endsummary_list %}",
        venue="County Hall & Annexe",
    )
    assert squeeze(html) == (
        '<dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Venue</dt>'
        '<dd class="govuk-summary-list__value">County Hall &amp; Annexe</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Link</dt>'
        '<dd class="govuk-summary-list__value"><a class="govuk-link" href="/x">Join</a></dd></div>'
        "</dl>"
    )


def test_a_summary_list_takes_classes_and_an_id():
    html = render(
        '{% summary_list classes="govuk-summary-list--no-border" id="task-counts" %}'
        "{% endsummary_list %}"
    )
    assert html.startswith(
        '<dl class="govuk-summary-list govuk-summary-list--no-border" id="task-counts">'
    )


def test_a_key_from_the_page_is_escaped_and_a_value_can_be_named():
    html = render(
        '{% summary_row key value_id="adoption-match" %}None{% endsummary_row %}', key="<b>"
    )
    assert squeeze(html) == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">&lt;b&gt;</dt>'
        '<dd class="govuk-summary-list__value" id="adoption-match">None</dd></div>'
    )


def test_a_row_with_an_action_and_a_row_without_in_the_same_list():
    html = render(
        '{% summary_row "Request" change_url="/book/" visually_hidden="request" %}'
        "Matching{% endsummary_row %}"
        '{% summary_row "Agenda section" no_actions=True %}Matching{% endsummary_row %}'
    )
    assert squeeze(html) == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Request</dt>'
        '<dd class="govuk-summary-list__value">Matching</dd>'
        '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="/book/">Change'
        '<span class="govuk-visually-hidden"> request</span></a></dd></div>'
        '<div class="govuk-summary-list__row govuk-summary-list__row--no-actions">'
        '<dt class="govuk-summary-list__key">Agenda section</dt>'
        '<dd class="govuk-summary-list__value">Matching</dd></div>'
    )


def test_a_row_with_two_actions_lists_them():
    html = render(
        '{% summary_row "Section" change_url="/c/" remove_url="/r/" visually_hidden="a" %}'
        "x{% endsummary_row %}"
    )
    assert (
        '<dd class="govuk-summary-list__actions"><ul class="govuk-summary-list__actions-list">'
        '<li class="govuk-summary-list__actions-list-item"><a class="govuk-link" href="/c/">'
        'Change<span class="govuk-visually-hidden"> a</span></a></li>'
        '<li class="govuk-summary-list__actions-list-item"><a class="govuk-link" href="/r/">'
        'Remove<span class="govuk-visually-hidden"> a</span></a></li></ul></dd>'
    ) in squeeze(html)


# The summary card -----------------------------------------------------------------------


def test_a_summary_card_with_a_title_and_no_links():
    html = render('{% summary_card "Who and where" %}<p>Body</p>{% endsummary_card %}')
    assert squeeze(html) == (
        '<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper">'
        '<h2 class="govuk-summary-card__title">Who and where</h2></div>'
        '<div class="govuk-summary-card__content"><p>Body</p></div></div>'
    )


def test_a_summary_card_with_one_link_at_its_heading_level_and_id():
    html = render(
        '{% summary_card "From the tracker" heading_level=3 id="tracker" action_url="/c/1/"'
        ' action_text="Open the record" visually_hidden="for Ada" %}x{% endsummary_card %}'
    )
    assert squeeze(html).startswith(
        '<div class="govuk-summary-card" id="tracker">'
        '<div class="govuk-summary-card__title-wrapper">'
        '<h3 class="govuk-summary-card__title">From the tracker</h3>'
        '<div class="govuk-summary-card__actions"><a class="govuk-link" href="/c/1/">'
        'Open the record<span class="govuk-visually-hidden"> for Ada</span></a></div>'
    )


def test_a_summary_card_with_change_and_remove():
    html = render(
        '{% summary_card "1. Matching" change_url="/c/" remove_url="/r/"'
        ' visually_hidden="section Matching" %}x{% endsummary_card %}'
    )
    assert (
        '<ul class="govuk-summary-card__actions">'
        '<li class="govuk-summary-card__action"><a class="govuk-link" href="/c/">Change'
        '<span class="govuk-visually-hidden"> section Matching</span></a></li>'
        '<li class="govuk-summary-card__action"><a class="govuk-link" href="/r/">Remove'
        '<span class="govuk-visually-hidden"> section Matching</span></a></li></ul>'
    ) in squeeze(html)


# The error summary ----------------------------------------------------------------------


class MeetingForm(forms.Form):
    venue = forms.CharField()
    online = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    date = DateField(label="Date")

    def clean(self):
        raise forms.ValidationError("The panel does not meet that day")


def summary_items(html: str) -> str:
    return squeeze(html).split('<ul class="govuk-list govuk-error-summary__list">')[1]


@pytest.mark.django_db
def test_a_forms_errors_link_to_the_first_box_of_each_field():
    form = MeetingForm(data={})
    html = render("{% error_summary form %}", form=form)
    assert squeeze(html).startswith(
        '<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">'
        '<h2 class="govuk-error-summary__title">There is a problem</h2>'
    )
    assert summary_items(html).startswith(
        "<li>The panel does not meet that day</li>"
        '<li><a href="#id_venue">This field is required.</a></li>'
        '<li><a href="#id_online_1">This field is required.</a></li>'
        '<li><a href="#id_date_0">'
    )


def test_a_list_of_errors_and_messages_share_the_summary():
    html = render(
        "{% error_summary errors=errors messages=refusals %}",
        errors=[{"text": "Choose an outcome", "href": "#id_outcome_1"}],
        refusals=["Nothing to send"],
    )
    assert summary_items(html).startswith(
        '<li><a href="#id_outcome_1">Choose an outcome</a></li><li>Nothing to send</li></ul>'
    )


@pytest.mark.django_db
def test_no_errors_no_summary():
    assert render("{% error_summary form %}", form=MeetingForm()).strip() == ""
    assert render("{% error_summary form %}").strip() == ""


# The notification banner ----------------------------------------------------------------


def test_a_banner_is_important_unless_it_is_a_success():
    html = render('{% notification_banner "Saved" title_id="note-1" %}{% endnotification_banner %}')
    assert squeeze(html) == (
        '<div class="govuk-notification-banner" role="region" aria-labelledby="note-1"'
        ' data-module="govuk-notification-banner">'
        '<div class="govuk-notification-banner__header">'
        '<h2 class="govuk-notification-banner__title" id="note-1">Important</h2></div>'
        '<div class="govuk-notification-banner__content">'
        '<p class="govuk-notification-banner__heading">Saved</p></div></div>'
    )


def test_a_success_banner_is_an_alert_and_keeps_the_markup_inside_it():
    html = render(
        '{% notification_banner type="success" %}<ul class="govuk-list"><li>x</li></ul>'
        "{% endnotification_banner %}"
    )
    assert squeeze(html).startswith(
        '<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"'
    )
    assert (
        '<h2 class="govuk-notification-banner__title" id="notification-title">Success</h2>'
        in squeeze(html)
    )
    assert squeeze(html).endswith(
        '<div class="govuk-notification-banner__content"><ul class="govuk-list"><li>x</li></ul>'
        "</div></div>"
    )


def test_a_success_banner_can_leave_the_focus_to_the_page():
    """A page that focuses a field itself (the tracking page's next child) keeps govuk-frontend
    from moving the focus to its success banner."""
    kept = render(
        '{% notification_banner "Saved" type="success" disable_auto_focus=True %}'
        "{% endnotification_banner %}"
    )
    assert 'data-module="govuk-notification-banner" data-disable-auto-focus="true">' in kept
    usual = render('{% notification_banner "Saved" type="success" %}{% endnotification_banner %}')
    assert "data-disable-auto-focus" not in usual
