"""nbgrader settings for learners (the Validate button): the course's shared settings."""

from advpy.course.nbgrader_settings import apply_course_settings

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
apply_course_settings(c)
