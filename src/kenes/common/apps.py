from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kenes.common"
    label = "common"
    verbose_name = "Common"
