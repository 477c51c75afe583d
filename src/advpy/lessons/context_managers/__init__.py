"""Lesson 10, context managers: a logged pretend resource for the ``ExitStack`` demos, the
SQLite and SQLAlchemy helpers of the transaction sections, and the measured cost of a ``with``
statement with its plot."""
