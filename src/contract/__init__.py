"""What the kiosk and the hub both speak, kept in one leaf package so the two cannot drift.

The session-key format, the sync API's wire bodies, the proctoring event vocabulary, the scoring
rubric, its prompt and its guard, and the few storage pieces both databases share (the UTC column
type, the unit of work): each exists once, here, and both sides import it. `contract` imports
only the standard library, pydantic and SQLAlchemy, and nothing of `kiosk`, `hub` or any other
package of ours.
"""
