"""Lesson 20, API versioning: the shop's FastAPI app in three releases (v1 only, v1 + v2, and a
careless v1 + v2 that renames a v1 field in place), an old v1 client and its contract test,
the deprecation headers, the OpenAPI documents turned into API descriptions, and the cost of
each way to name a version, measured over real HTTP."""
