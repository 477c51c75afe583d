# Drops every local copy on any message, not just the key it names: always fresh, but each
# write anywhere empties every process's cache, and a busy system never gets a local hit.
class NearCache:
    """A local copy of Redis keys, dropped when any process publishes the key on `channel`."""

    def __init__(self, redis_url, channel="invalidations"):
        self.channel = channel
        self.redis = redis.Redis.from_url(redis_url, decode_responses=True)
        self.local = {}
        self.lock = threading.Lock()
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(channel)
        self.pubsub.get_message(timeout=1.0)  # the confirmation: subscribed from here on
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self):
        while not self.stopping.is_set():
            message = self.pubsub.get_message(timeout=0.05)
            if message is not None and message["type"] == "message":
                with self.lock:
                    self.local.clear()

    def get(self, key):
        with self.lock:
            if key in self.local:
                return self.local[key]
        value = self.redis.get(key)
        if value is not None:
            with self.lock:
                self.local[key] = value
        return value

    def set(self, key, value):
        self.redis.set(key, value)
        with self.lock:
            self.local.pop(key, None)
        self.redis.publish(self.channel, key)

    def delete(self, key):
        self.redis.delete(key)
        with self.lock:
            self.local.pop(key, None)
        self.redis.publish(self.channel, key)

    def close(self):
        self.stopping.set()
        self.thread.join()
        self.pubsub.unsubscribe()
        self.pubsub.close()
        self.redis.close()
