"""The kiosk's PDF report: a stored session handed to the shared renderer (`reporting`)."""
