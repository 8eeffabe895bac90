"""Running a live interview: the conductor and the sources, voice and proctoring it drives.

Qt-free: the kiosk application runs the conductor in a worker and shows its events; the
headless demo and the tests run the same conductor on recorded media.
"""
