"""nbgrader settings for instructors: the course in grading/ with the course's shared settings."""

import os

from advpy.grade.nbgrader_settings import apply_course_settings

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
apply_course_settings(c)
c.CourseDirectory.root = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "grading")
