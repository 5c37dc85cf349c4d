"""The student's own project: a template, the reference answers and the checks of each lab.

Why it matters: reading a finished system teaches half of MLOps; building one teaches the
other half. ``labs project new DIR`` creates a project of the student's own (a git
repository with DVC, from ``template/``); each lab from module 03 to 09 adds one piece;
``labs check N --project DIR`` runs that piece in a throw-away copy and says what is wrong.
``labs project solve DIR`` lays the reference answers (``solutions/labNN/``) over a project,
for instructors and for the tests that prove every check fails on the template and passes
on the answers.
"""

from capstone.project.scaffold import LABS, new_project, solve_project

__all__ = ["LABS", "new_project", "solve_project"]
