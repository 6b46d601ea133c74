"""The WSGI application (gunicorn in ``doudi serve``, or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings")
application = get_wsgi_application()
