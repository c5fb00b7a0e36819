"""Support services near a person: employment-support offices (WAM NET open data) and which
Hello Work office is in charge where.

Pure readers (``offices``, ``hellowork``, ``read``) turn the published files into rows; ``store``
writes them into the warehouse with history; ``publish`` copies them into serving snapshots in
the shapes declared once in ``tables``.
"""
