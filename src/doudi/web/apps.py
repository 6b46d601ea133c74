from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "doudi.web"
    label = "web"
    verbose_name = "经办系统 / Web application"
    default_auto_field = "django.db.models.BigAutoField"
