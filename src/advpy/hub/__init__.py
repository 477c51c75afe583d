"""A class on JupyterHub with nbgrader's exchange (``advpy hub``).

- :mod:`advpy.hub.accounts`: the trial's learners and instructor as real Unix users, created
  and removed.
- :mod:`advpy.hub.expose`: the course's Python made reachable for those users when it lives
  in a folder only root may enter (``/root/.pyenv``), in a mount namespace of the hub's own.
- :mod:`advpy.hub.auth`: the trial's authenticator (a generated password per user).
- :mod:`advpy.hub.config`: the hub's settings and the Jupyter and nbgrader settings of each
  user's server.
- :mod:`advpy.hub.trial`: a trial class: users, exchange, course, the hub started on loopback
  with ``configurable-http-proxy``, and everything removed after.
- :mod:`advpy.hub.client`: the hub's REST API, a user's server and a kernel there, over HTTP.
"""
