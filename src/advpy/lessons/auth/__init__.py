"""Lesson 11, authentication: the login service the lesson serves over real HTTP(S)
(:mod:`~advpy.lessons.auth.service`), the cost of password hashes
(:mod:`~advpy.lessons.auth.passwords`), a timing attack on ``==``
(:mod:`~advpy.lessons.auth.timing_attack`), what signing and verifying JWTs cost
(:mod:`~advpy.lessons.auth.tokens`), and HTTPS on loopback with a certificate made on the spot,
next to a relay that records what an on-path observer sees (:mod:`~advpy.lessons.auth.relay`)."""
