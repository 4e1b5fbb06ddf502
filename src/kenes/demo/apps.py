from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kenes.demo"
    label = "demo"
    verbose_name = "Demo data"
