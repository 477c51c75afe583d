"""The start-here notebook's parts: the course map built from the files that exist
(:mod:`~advpy.start_here.course_map`, with the planned numbering in
:mod:`~advpy.start_here.outline`), the learner's standing in every graded set read from the
progress store (:mod:`~advpy.start_here.standing`, also printed by ``advpy progress``), and the
dashboard that draws it (:mod:`~advpy.start_here.dashboard`).

It sits above :mod:`advpy.course` (which files are lessons and sets), :mod:`advpy.progress`
(the store) and :mod:`advpy.lessons.plotting` (the course's plot style), and below the commands.
"""
