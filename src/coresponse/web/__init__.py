"""The Django project: settings, URLs, the landing page and the JSON API."""
