"""Grading: nbgrader hardening shared by every entry point, and the instructor's grader."""
