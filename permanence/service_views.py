"""Pages whose work is one service call: a form saved through a service, and a button that
runs one. A service's refusal (a ValidationError) is shown in words where the user asked,
never as a server error, and a form keeps everything that was typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.views import View

from .forms import add_service_errors


class ServiceFormMixin:
    """For a FormView: a valid form goes to `change(fields)`. A refusal is shown on the
    form; success says `done_message` and answers with `done()`."""

    done_message = ""

    def form_valid(self, form):
        try:
            self.change(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return self.done()


class ServiceButtonView(View):
    """A button: a POST that runs `act()`, then `done()`, the page it was pressed on, which
    shows `done_message` or the refusal."""

    http_method_names = ["post"]
    done_message = ""

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.done_message)
        return self.done()
