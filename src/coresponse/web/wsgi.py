"""WSGI entry point for servers other than ``coresponse serve``: Django behind the lean
``POST /api/triage`` path (coresponse.web.fastpath), as ``coresponse serve`` runs it."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coresponse.web.settings")
django.setup(set_prefix=False)

from coresponse.web.fastpath import application_with_fast_path  # noqa: E402 (needs the settings)

application = application_with_fast_path()
