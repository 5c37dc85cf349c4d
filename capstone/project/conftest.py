"""Keep the course's pytest out of the project template and the reference answers.

They are the files of a *student's* project (``import myflights`` works only there); the
course tests them by creating a project and running its checks (``capstone/tests``).
"""

collect_ignore_glob = ["template/*", "solutions/*"]
