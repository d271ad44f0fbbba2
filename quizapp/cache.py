"""The shared Redis cache (REDIS_URL), keeping one redis-py client per connection pool.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` for every cache
operation. Since redis-py 5 that constructor fills a table of about 170 response callbacks:
0.2 ms of CPU, twice per answer save (the session read and the rate limit), which is
about half of what a whole trivial request costs (``python -m bench.profile save --top 40``).
A ``redis.Redis`` over a connection pool is safe to share between threads, so one per pool
is kept and reused; the pools themselves stay Django's.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(pool)) is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
