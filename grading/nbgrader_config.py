"""nbgrader configuration of the advpy course (run nbgrader commands in this folder).

The settings live in the course package so that the Validate button, ``advpy grade`` and plain
``nbgrader`` commands share them: see advpy/grade/nbgrader_settings.py.
"""

from advpy.course.nbgrader_settings import apply_course_settings

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
apply_course_settings(c)
