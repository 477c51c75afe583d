# Listens with a blocking listen() loop; close() unsubscribes, which ends the loop.
class NearCache:
    def __init__(self, redis_url, channel="invalidations"):
        self._channel = channel
        self._client = redis.Redis.from_url(redis_url, decode_responses=True)
        self._copies = {}
        self._pubsub = self._client.pubsub()
        self._pubsub.subscribe(channel)
        while True:  # wait for Redis to confirm the subscription
            message = self._pubsub.get_message(timeout=1.0)
            if message and message["type"] == "subscribe":
                break
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        for message in self._pubsub.listen():
            if message["type"] == "message":
                self._copies.pop(message["data"], None)
            elif message["type"] == "unsubscribe":
                return

    def get(self, key):
        try:
            return self._copies[key]
        except KeyError:
            pass
        value = self._client.get(key)
        if value is not None:
            self._copies[key] = value
        return value

    def set(self, key, value):
        self._client.set(key, value)
        self._copies.pop(key, None)
        self._client.publish(self._channel, key)

    def delete(self, key):
        self._client.delete(key)
        self._copies.pop(key, None)
        self._client.publish(self._channel, key)

    def close(self):
        self._pubsub.unsubscribe(self._channel)
        self._thread.join()
        self._pubsub.close()
        self._client.close()
