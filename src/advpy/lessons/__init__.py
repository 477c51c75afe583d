"""What the lesson notebooks import: one sub-package per lesson topic (``gil``, ``memory``,
``aio``, ...) with its workloads, measurements, plots and widgets, and the helpers several
lessons share (:mod:`~advpy.lessons.context`, :mod:`~advpy.lessons.timing`,
:mod:`~advpy.lessons.plotting`)."""
