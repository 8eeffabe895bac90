"""One module per screen of the kiosk; `ui.window` shows the one the session's state calls for."""
