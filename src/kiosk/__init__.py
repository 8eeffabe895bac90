"""Interview Kiosk core."""
