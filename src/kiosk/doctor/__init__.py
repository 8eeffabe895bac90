"""`kiosk doctor`: what this machine has and lacks for running interviews, with the fixes."""
