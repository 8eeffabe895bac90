"""Qt-free domain model: session keys, the lifecycle, and the interview's records."""
