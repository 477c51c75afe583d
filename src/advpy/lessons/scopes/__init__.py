"""Lesson 07, scopes: which instruction loads each name (``dis``), how long each kind of lookup
takes in a hot loop, and what this interpreter does with comprehensions."""
