from django.views.generic import ListView

from .models import Panel


class PanelListView(ListView):
    model = Panel
    template_name = "agendas/panel_list.html"
