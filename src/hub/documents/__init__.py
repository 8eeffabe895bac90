"""Reading uploaded documents (resumes) without letting one of them stall or flood the hub.

`limits` says how far a document may unpack; `zipped` and `text` read DOCX and PDF within those
limits; `worker` is the child process that does the reading; `sandbox` starts it with memory and
CPU limits and a wall-clock timeout, off the event loop.
"""
