# Uses redis-py's own listener thread: a handler per channel, run_in_thread, and stop().
class NearCache:
    def __init__(self, redis_url, channel="invalidations"):
        self.channel = channel
        self.client = redis.Redis.from_url(redis_url, decode_responses=True)
        self.copies = {}
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(**{channel: self._invalidate})
        self.pubsub.get_message(timeout=1.0)  # reads Redis's confirmation of the subscription
        self.worker = self.pubsub.run_in_thread(sleep_time=0.01, daemon=True)

    def _invalidate(self, message):
        self.copies.pop(message["data"], None)

    def get(self, key):
        value = self.copies.get(key)
        if value is None:
            value = self.client.get(key)
            if value is not None:
                self.copies[key] = value
        return value

    def set(self, key, value):
        self.client.set(key, value)
        self.copies.pop(key, None)
        self.client.publish(self.channel, key)

    def delete(self, key):
        self.client.delete(key)
        self.copies.pop(key, None)
        self.client.publish(self.channel, key)

    def close(self):
        self.worker.stop()
        self.worker.join()
        self.pubsub.close()
        self.client.close()
