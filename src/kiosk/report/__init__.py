"""The PDF interview report (reportlab), rendered from a stored session."""
