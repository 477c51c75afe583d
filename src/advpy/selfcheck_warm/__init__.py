"""A self-check that answers at once: ``advpy check`` through a warm, per-user server.

**Why.** A cold ``advpy check`` spends about 2.4 s, most of it before the first cell runs:
importing nbformat (whose schema validator alone takes most of a second), nbclient and
nbgrader, then starting a Python kernel (another interpreter, IPython, ipykernel, debugpy). The
tests themselves take a fraction of that.

**What stays the same.** Every check still runs in a kernel of its own that no other check has
used, started by ``jupyter_client`` from the ``python3`` kernel spec, driven by nbclient and
scored by :func:`advpy.selfcheck.run_checks` (the cold path's own function, with the same cell
timeout): the same Jupyter kernel, the same outputs, the same scores and messages, the same
report when a notebook hangs or kills its kernel, the same progress record.

**What changes: where the processes come from.** The first ``advpy check`` runs the cold way
and starts, in the background, a server of two processes (:mod:`.server`):

- the *kernel template* imports what a kernel imports when it starts (ipykernel, IPython,
  debugpy...) and nothing else. When asked, it forks a child and turns it into exactly the
  kernel ``python -m ipykernel_launcher -f CONNECTION_FILE`` would be: a new session, the
  check's working folder, environment, umask, stdout and stderr, ``sys.argv``, ``sys.path``
  (:mod:`.kernel`). Modules that read a launch-time variable such as ``JPY_PARENT_PID`` while
  being imported are imported afresh in each kernel. A request it cannot honour exactly (another
  interpreter, kernel or environment) is refused, and the kernel is started with ``Popen``.
- the *dispatcher*, a child of the template, also imports nbformat, nbclient and nbgrader.
  For each check it forks a *checker* that takes on the check's environment, folder, umask and
  standard streams, and runs ``run_checks`` with ``jupyter_client``'s own kernel manager, whose
  one launching step asks the template for the kernel (:mod:`.launch`); connection file,
  ports, environment, client and shutdown are the library's. The checker sends the scores as
  soon as the last cell has run, then shuts the kernel down as the cold path does.

So each check is a fresh process forked from a process that never ran a notebook; nothing one
check does (to modules, builtins, the environment, threads, files it keeps open) reaches the
next. ``advpy check`` itself (:mod:`.client`) imports only the standard library and sends the
request with its own stdout and stderr (``SCM_RIGHTS``), so output a kernel writes straight to
its descriptors lands where it would have.

**Safety.** The sockets live in a private folder (mode 0700, owned by the user):
``$XDG_RUNTIME_DIR/advpy``, else ``~/.cache/advpy/check`` (``$ADVPY_CHECK_DIR`` overrides);
both ends check the peer's user id (``SO_PEERCRED``). A folder that is not private is not used:
checks then run the cold way.

**Lifetime.** The server stops when idle for ``$ADVPY_CHECK_IDLE`` seconds (default 600), when
either of its processes ends, when a check comes from another setting (another interpreter,
Python or advpy version, environment, user ids or resource limits: :func:`.wire.identity`),
and when code it loaded changed on disk (a package installed, a file of advpy edited). A check
that finds no server, a stale one or a dead one runs the cold way and starts a new one.
``advpy check --cold`` or ``ADVPY_CHECK_COLD=1`` always runs the cold way.

**What a forked kernel cannot reproduce** (each harmless for grading, and measured by the
tests): the string-hashing seed is the server's, the same for all its kernels, instead of one
per kernel; ``sys.orig_argv`` and ``/proc/self/cmdline`` are the template's; and a module the
template imported is not read from disk again (the server restarts when advpy's sources or a
folder on ``sys.path`` change).
"""
