"""Grading the final projects: the rubric (one source of truth) and ``labs grade DIR``.

Why it matters: a grade a machine can give, it gives by running the project, the same way
for every student; what only a person can judge is listed, never guessed. The rubric in
``capstone/final_projects/rubric.yaml`` drives both the grader and ``rubric.md``.
"""
