"""WSGI entry point for servers other than ``coresponse serve``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coresponse.web.settings")
application = get_wsgi_application()
