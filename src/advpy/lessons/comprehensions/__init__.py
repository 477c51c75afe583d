"""Lesson 08, comprehensions: list comprehensions, generator expressions and ``map``/``filter``
timed and traced against input size, 3.12's inlined comprehensions, a lazy pipeline over a real
file, and the plots of all of these."""
