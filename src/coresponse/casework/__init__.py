"""Casework: the people served, encounters, assessments, cases, referrals, follow-ups and consent."""
