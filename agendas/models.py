from django.db import models


class Panel(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True)
    panel_interval_months = models.PositiveSmallIntegerField(default=3)
    placement_order_match_limit_months = models.PositiveSmallIntegerField(default=6)
    adoption_application_limit_months = models.PositiveSmallIntegerField(default=6)

    def __str__(self):
        return self.name
