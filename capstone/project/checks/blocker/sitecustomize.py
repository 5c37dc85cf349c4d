"""Loaded by every Python process that ``labs check`` starts in a student's sandbox.

It does two things, both read from the environment the check sets:

- ``LABS_BLOCKED_IMPORTS``: a comma-separated list of course packages the student's code
  may not import (the reference answer of the lab being checked). Course code may still
  import them; only an import made by the student's own files (or ``python -c``, or
  ``python -m <blocked>``) is stopped, with a message saying why.
- ``LABS_IMPORT_LOG``: a folder; at exit each process writes the top-level packages it
  imported, so a check can see, for example, that the ingest stage really used DuckDB.
"""

import atexit
import itertools
import json
import os
import sys

_BLOCKED = tuple(b for b in os.environ.get("LABS_BLOCKED_IMPORTS", "").split(",") if b)
_PROJECT = os.path.realpath(os.environ.get("LABS_PROJECT_DIR", "/nonexistent")) + os.sep
_COURSE = os.path.realpath(os.environ.get("LABS_COURSE_DIR", "/nonexistent")) + os.sep
_MESSAGE = (
    "labs check: your code imported {name!r}, the course's reference answer for this lab. "
    "Write this piece yourself (the course's data access and the ML building blocks of "
    "modules 01-06 stay allowed)."
)


def _is_blocked(name):
    return any(name == b or name.startswith(b + ".") for b in _BLOCKED)


def _importer_is_student():
    frame = sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        real = os.path.realpath(path) if not path.startswith("<") else path
        if path.startswith("<frozen") or f"{os.sep}importlib{os.sep}" in path:
            pass
        elif real.startswith(_PROJECT) or path in {"<string>", "<stdin>"}:
            return True
        elif real.startswith(_COURSE):
            return False
        frame = frame.f_back
    return False


class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if _is_blocked(name) and _importer_is_student():
            raise ImportError(_MESSAGE.format(name=name), name=name)
        return None


def _blocked_main():
    argv = getattr(sys, "orig_argv", [])
    for flag, value in itertools.pairwise(argv):
        if flag == "-m" and _is_blocked(value):
            return value
    return None


def _write_import_log():
    folder = os.environ.get("LABS_IMPORT_LOG")
    if not folder:
        return
    top = sorted({name.split(".")[0] for name in list(sys.modules)})
    record = {"argv": list(getattr(sys, "orig_argv", sys.argv)), "modules": top}
    try:
        with open(os.path.join(folder, f"{os.getpid()}.json"), "w") as fh:
            json.dump(record, fh)
    except OSError:
        pass


if _BLOCKED:
    if _blocked_main():
        sys.stderr.write(_MESSAGE.format(name=_blocked_main()) + "\n")
        sys.stderr.flush()
        os._exit(3)  # sys.exit here would print a traceback of the site module
    sys.meta_path.insert(0, _Blocker())
atexit.register(_write_import_log)
