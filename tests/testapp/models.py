from django.conf import settings
from django.db import models


class Submission(models.Model):
    """Something a citizen submitted to a body: the shape every module's submissions share."""

    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    is_private = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/testapp/submissions/{self.pk}/"
