from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View
from django_tables2 import RequestConfig

from permanence.audit import AuditAction, AuditedMixin
from permanence.forms import add_service_errors
from permanence.permissions import PermissionRequiredMixin
from permanence.service_views import ServiceButtonView, ServiceFormMixin
from permanence.signin.again import sign_in_again

from .. import after_permanence, exports, selectors, services, timeline, timeline_drawing
from ..filters import TrackerFilter, filter_query
from ..flags import FLAGS, explain, flag_counts, mark_flags, raised
from ..forms import CaseworkForm, ChildForm
from ..forms_saved_filters import NAME_HINT, SavedFilterForm
from ..permissions import can_edit_child, can_manage_children, can_send_referrals
from ..tables import TrackerTable

EXPORT_FORMATS = ("csv", "xlsx")


class TrackerView(AuditedMixin, TemplateView):
    audit_file_action = AuditAction.EXPORTED
    template_name = "tracker/tracker.html"

    def get(self, request, *args, **kwargs):
        self.filterset = TrackerFilter(
            request.GET, queryset=selectors.tracker_children(request.user)
        )
        export = request.GET.get("export")
        if export in EXPORT_FORMATS and self.filterset.is_valid():
            if again := sign_in_again(request):
                return again
            # The table orders the rows, so the file comes in the page's sort.
            table = self.table(self.filterset.qs, paginate=False)
            return exports.export_response(
                table.data.data, as_of=self.filterset.as_of_date, file_format=export
            )
        return super().get(request, *args, **kwargs)

    def table(self, rows, **config) -> TrackerTable:
        # A "Sort by" date from the filters orders the rows; otherwise the column headers do.
        sorted_by_filter = self.filterset.is_valid() and self.filterset.form.cleaned_data.get(
            "order"
        )
        table = TrackerTable(rows, order_by=() if sorted_by_filter else None)
        RequestConfig(self.request, **config).configure(table)
        return table

    def get_context_data(self, **kwargs):
        valid = self.filterset.is_valid()
        # With a filter refused (an as-of date that is no date), nothing is counted or flagged:
        # counts for today would pretend to answer the question asked.
        as_of = self.filterset.as_of_date if valid else None
        rows = self.filterset.qs if valid else self.filterset.queryset.none()
        table = self.table(rows)
        if valid:
            # The page's children, read here once and drawn by the table from the same list.
            mark_flags(table.page.object_list.data, as_of)
        counts = flag_counts(self.filterset.before_flag, as_of) if valid else {}
        others = self.request.GET.copy()
        others.pop("flag", None)
        can_manage = can_manage_children(self.request.user)
        # What "Save this filter" posts, once the page is filtered; the service keeps only what
        # may be saved, and refuses a search for a child.
        query = filter_query(self.request.GET)
        saved_filters = list(selectors.saved_filters())
        applied = filter_query(self.request.GET, leave_out=services.NOT_SAVED)
        for saved in saved_filters:
            saved.current = saved.query == applied
        return super().get_context_data(
            filter=self.filterset,
            table=table,
            can_manage=can_manage,
            saved_filters=saved_filters,
            save_query=query if can_manage else "",
            save_hint=NAME_HINT,
            as_of=as_of,
            # Until a recompute after a closure day or a panel change finishes, the flags
            # and deadlines shown may be out of date: the page says so.
            recomputing=selectors.dates_being_recomputed(),
            flag_tags=[
                {
                    "flag": flag,
                    "count": counts.get(flag.code, 0),
                    "query": _with(others.copy(), flag=flag.code),
                    "current": self.request.GET.get("flag") == flag.code,
                }
                for flag in FLAGS
            ]
            if valid
            else [],
            export_queries={
                fmt: _with(self.request.GET.copy(), export=fmt) for fmt in EXPORT_FORMATS
            },
            **kwargs,
        )


class SocialWorkersView(View):
    """The tracker's social worker box asks here as a name is typed (static/js/type-ahead.js):
    the people it may offer, as JSON. Staff names only, never a child's."""

    def get(self, request, *args, **kwargs):
        text = request.GET.get("q", "").strip()
        workers = selectors.social_workers_named(request.user, text) if text else []
        return JsonResponse(
            {
                "results": [
                    {"id": worker.pk, "name": str(worker), "team": str(worker.team or "")}
                    for worker in workers
                ]
            }
        )


def _with(query, **values):
    for key, value in values.items():
        query[key] = value
    query.pop("page", None)
    return query.urlencode()


class ChildDetailView(AuditedMixin, TemplateView):
    audit_model = "tracker.Child"
    audit_child = ""
    template_name = "tracker/child.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        child = selectors.child_for_page(self.request.user, pk=self.kwargs["pk"], as_of=as_of)
        # Read once: the page lists them, and the journey draws them.
        bookings = list(selectors.child_bookings(child, self.request.user))
        decisions = list(selectors.child_decisions(child, self.request.user))
        journey = timeline.journey(child, as_of=as_of, bookings=bookings, decisions=decisions)
        return super().get_context_data(
            child=child,
            as_of=as_of,
            flags=[(flag, explain(flag, child, as_of)) for flag in raised(child)],
            # Raised only after permanence, so never among `flags` (tracker/after_permanence.py).
            life_story_overdue=after_permanence.explain(child, as_of)
            if after_permanence.is_overdue(child, as_of)
            else "",
            siblings=selectors.siblings_of(self.request.user, child),
            actions=child.panel_actions.select_related("owner"),
            bookings=bookings,
            decisions=decisions,
            journey=journey,
            journey_drawing=timeline_drawing.draw(
                journey, as_of=as_of, proceedings=timeline.proceedings(child)
            ),
            can_book=can_manage_children(self.request.user),
            history=selectors.child_history(child),
            can_edit=can_edit_child(self.request.user, child),
            # The child's own workers tell the administrator of a change in the legal process.
            can_refer=can_send_referrals(self.request.user),
            **kwargs,
        )


class ChildFormMixin:
    template_name = "tracker/child_form.html"

    def form_valid(self, form):
        try:
            child = self.save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {child.full_name} ({child.case_number}).")
        return redirect(reverse("tracker:child", args=[child.pk]))


class ChildCreateView(PermissionRequiredMixin, ChildFormMixin, FormView):
    permission = can_manage_children
    form_class = ChildForm
    extra_context = {"title": "Add a child"}

    def save(self, fields):
        return services.child_create(changed_by=self.request.user, **fields)


class ChildUpdateView(AuditedMixin, PermissionRequiredMixin, ChildFormMixin, FormView):
    audit_model = "tracker.Child"
    audit_child = ""
    permission = can_edit_child

    @cached_property
    def child(self):
        return selectors.visible_child(self.request.user, pk=self.kwargs["pk"])

    def permission_object(self):
        return self.child

    def get_form_class(self):
        return ChildForm if can_manage_children(self.request.user) else CaseworkForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.child}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Change {self.child.full_name}", child=self.child, **kwargs
        )

    def save(self, fields):
        return services.child_update(child=self.child, changed_by=self.request.user, **fields)


class SavedFilterCreateView(PermissionRequiredMixin, ServiceFormMixin, FormView):
    """The tracker page's "Save this filter" posts here; a refusal is shown on this page,
    with the name as typed."""

    permission = can_manage_children
    template_name = "tracker/saved_filter_form.html"
    form_class = SavedFilterForm

    def get_initial(self):
        return {"query": filter_query(self.request.GET)}

    def get_context_data(self, **kwargs):
        form = kwargs.setdefault("form", self.get_form())
        return super().get_context_data(tracker_query=form["query"].value() or "", **kwargs)

    def change(self, fields):
        self.saved = services.saved_filter_create(saved_by=self.request.user, **fields)
        self.done_message = f"Saved the filter “{self.saved.name}”."

    def done(self):
        return redirect(f"{reverse('tracker:list')}?{self.saved.query}")


class SavedFilterDeleteView(PermissionRequiredMixin, ServiceButtonView):
    permission = can_manage_children

    def act(self):
        saved = selectors.saved_filter(self.kwargs["pk"])
        services.saved_filter_delete(saved_filter=saved, deleted_by=self.request.user)
        self.done_message = f"Removed the saved filter “{saved.name}”."

    def done(self):
        return redirect("tracker:list")
