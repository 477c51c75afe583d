"""advpy: the course's own package.

Its parts, each importing only the ones listed before it (``make lint`` enforces this):

- :mod:`advpy.checks`: the checking helpers graded test cells import; standard library only.
- :mod:`advpy.cores`: how many cores this process may use; standard library only.
- :mod:`advpy.progress`: the learner's own record of self-check results (SQLite); standard
  library only.
- :mod:`advpy.services`: real servers on loopback (uvicorn, Redis, PostgreSQL, nginx), started
  by a notebook or a test and gone when it stops; nothing else of advpy.
- :mod:`advpy.course`: the course as files: paths, text masters and the build, the nbgrader
  settings every entry point shares, and the one function that scores a test cell.
- :mod:`advpy.lessons`: one sub-package per lesson topic (its workloads, measurements, plots
  and widgets), and the few helpers lessons share.
- :mod:`advpy.grade`: the instructor's class grader (``advpy grade``).
- :mod:`advpy.start_here`: the start-here notebook's course map and progress dashboard.
- :mod:`advpy.website`: the course as a static website (``advpy site``), pages in the course
  map's order.
- :mod:`advpy.selfcheck` (with :mod:`advpy.selfcheck_warm`, the per-user warm server that lets
  ``advpy check`` answer at once), :mod:`advpy.doctor`, :mod:`advpy.lab` (with
  :mod:`advpy.lab_validate`, the Validate handler that records results) and :mod:`advpy.cli`:
  the commands; ``cli`` is the only module that reads ``argv`` (besides the programs the
  commands start: the grader's worker and the warm server).
"""

__version__ = "0.1.0"
