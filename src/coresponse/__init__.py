"""CoResponse: triage, dispatch, casework, analytics and staffing for crisis response."""

__version__ = "0.1.0"
