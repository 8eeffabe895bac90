"""Credentials and abuse limits: password hashing, device tokens, CSRF, rate limits."""
