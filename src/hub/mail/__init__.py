"""E-mail from the hub through an SMTP server: invitations and reminders to candidates, notices
to HR. Messages are queued in the database (`hub.services.mail`) and sent later, so a server that
is down or slow never blocks a page or loses a message."""
