from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "permanence"
    verbose_name = "Permanence"
