"""proctor package."""
