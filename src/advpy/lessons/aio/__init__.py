"""Lesson 03, generators and async: generator pipelines against lists, iteration styles, the
asyncio demos (gather, semaphores, a blocked event loop, an echo server) and their plots."""
