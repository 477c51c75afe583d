"""Lesson 04, metaclasses: singletons and the race in the naive one, a small ORM on SQLite, the
machinery of well-known libraries inspected live, and the plots of what the lesson measures."""
