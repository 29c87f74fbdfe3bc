"""The "after permanence" list (North Somerset 5): children whose permanence is secured
whose life-story book or later-life letter is still to do, the overdue first."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from permanence.audit import AuditedMixin

from .. import after_permanence, selectors

PER_PAGE = 50


class AfterPermanenceView(AuditedMixin, TemplateView):
    """Everyone who reads the tracker reads this list, of the children they may see."""

    template_name = "tracker/after_permanence.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        page = Paginator(
            selectors.after_permanence_children(self.request.user, as_of), PER_PAGE
        ).get_page(self.request.GET.get("page"))
        for child in page.object_list:
            child.outstanding = after_permanence.outstanding(child)
        return super().get_context_data(
            page=page, as_of=as_of, flag=after_permanence.LIFE_STORY_OVERDUE, **kwargs
        )
