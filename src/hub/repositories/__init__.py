"""Repositories stage and read rows for one unit of work. They never commit."""
