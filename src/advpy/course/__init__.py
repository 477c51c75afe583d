"""The course as files: where its folders are, the text masters and the build that turns them
into notebooks, the nbgrader settings and preprocessors every entry point shares, and the one
function that scores a test cell (:mod:`advpy.course.scoring`)."""
