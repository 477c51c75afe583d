# %% [markdown]
# # 00 · Start here: how the course works, its map, and where you stand
#
# This is an open course in advanced Python for people who build backends or prepare for
# backend interviews: first the language's machinery (the GIL, memory, generators and async,
# metaclasses, decorators, ...), then backend development and system design, each with real
# servers running on your own machine, and a set of classic algorithm problems. Every claim
# about speed or memory is **measured while you read**, on your machine, and drawn. Every
# lesson ends with a **graded exercise set** whose hidden tests tell right from wrong and fast
# from slow.
#
# This notebook is the one to come back to: it explains how to work through the course,
# shows the map of everything in it, and draws your progress from the self-checks you have
# run. Run it top to bottom (*Run → Run All Cells*); it changes nothing on your machine.

# %% [markdown]
# ## Setup
# Run this cell first: it imports the helpers behind the map and the dashboard, and prints
# where your self-check results are kept.

# %%
from IPython.display import Markdown, display

from advpy.progress import default_store
from advpy.start_here.course_map import course_map_markdown
from advpy.start_here.dashboard import Dashboard

print(f"Your self-check results are kept in {default_store()}")

# %% [markdown]
# ## 1. How to use the course
#
# **Lessons** (`notebooks/NN_slug.ipynb`) are read in order. Run every cell, top to bottom:
# the plots and tables are measured as you go, so your numbers will differ from a
# classmate's; read them for their *shape*. A cell that raises an error on purpose says so.
#
# **Try it** cells are small experiments, ungraded. Change the code, predict, run it again,
# then compare with the answer linked under the cell (in `solutions/tryit/`).
#
# **Graded sets** (`notebooks/exercises/psNN_slug.ipynb`) close each lesson, and the
# problem-solving sets stand on their own. Write your answer in the answer cell (it starts as
# `raise NotImplementedError()`), try it in the scratch cell below, then run the test cells.
# The visible tests are examples: every test cell also holds **hidden tests** that only your
# instructor's grading runs, so read the contract, not just the examples.
#
# **Check yourself** before you submit, in either of two ways:
#
# - in a terminal: `advpy check notebooks/exercises/ps31_two_sum.ipynb` (from the course
#   folder, `.venv/bin/advpy` if the environment is not active) runs the notebook in a fresh
#   kernel and prints each check, why it failed, and your points;
# - in JupyterLab: *Kernel → Restart Kernel and Run All Cells*, then the **Validate** button
#   in the notebook's toolbar.
#
# Both record their result on your machine, in a small database file in your home (printed by
# the setup cell; the environment variable `ADVPY_PROGRESS_DB` names another file). Validate
# records it when JupyterLab was opened the course's way (`make lab` or `advpy lab`); a
# JupyterLab started otherwise validates without recording, and `advpy check` always
# records. Nothing is ever sent anywhere. Section 3 draws what has been recorded, and
# `advpy progress` prints the same in a terminal.

# %% [markdown]
# ### Try it
# In a terminal in the course folder, self-check the problem set `ps31_two_sum` without
# changing it: `advpy check notebooks/exercises/ps31_two_sum.ipynb`. Then press **Refresh** on
# the dashboard in section 3. What does the dashboard show for `ps31_two_sum`, and why is
# that not a failure of the course? (Answer:
# [tryit/00_start_here.md § 1](../solutions/tryit/00_start_here.md#1-an-untouched-set).)

# %% [markdown]
# ## 2. The course map
#
# Every lesson and graded set there is today, in course order, read from the course's own
# files (a link opens the notebook). Lessons not written yet show what they will cover.

# %%
display(Markdown(course_map_markdown()))

# %% [markdown]
# ## 3. Where you stand
#
# For each graded set, in course order: the points of your **last** self-check over the
# points the set is worth, how many checks passed, and when. A green bar is a set whose
# visible checks all passed; an orange one still loses points; grey is what is left to earn.
# Remember that these are the visible checks only: the hidden tests decide the grade.
# Run a check, then press **Refresh** to redraw.

# %%
dashboard = Dashboard()
dashboard.show()

# %% [markdown]
# ## Summary
#
# - Work through the lessons in order and run every cell: the measurements are yours.
# - Try it cells are for experimenting; their answers are in `solutions/tryit/`.
# - Each graded set is checked by visible tests now and hidden tests at grading time.
# - `advpy check NOTEBOOK` or Validate checks a set and records the result on your machine;
#   `advpy progress` and the dashboard above show your last result for every set.
# - Next: [01 · The GIL](01_gil.ipynb).
