"""Use cases of the hub; each opens one unit of work per call and commits it."""
