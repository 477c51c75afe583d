"""nbgrader settings for instructors: the course in grading/ with the course's shared settings."""

import os

from advpy.course.nbgrader_settings import apply_course_settings

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
apply_course_settings(c)
_grading = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "grading")
c.CourseDirectory.root = _grading
# The formgrader's release/collect folder: inside the course (git-ignored), not the system-wide
# /usr/local/share/nbgrader/exchange, which does not exist on a fresh machine. `advpy lab
# --instructor` creates it (advpy.lab.exchange_folder).
c.Exchange.root = os.path.join(_grading, "exchange")
