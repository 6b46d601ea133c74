from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "doudi.registry"
    label = "registry"
    verbose_name = "登记库 / Registry"
    default_auto_field = "django.db.models.BigAutoField"
