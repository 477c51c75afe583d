"""Lesson 21 (scalability, availability, fault tolerance): a SimPy model of a service under
load (:mod:`.model`), the service itself as an ASGI app served by uvicorn processes
(:mod:`.service`), an open-loop load generator (:mod:`.load`), and the lesson's plots
(:mod:`.plots`)."""
