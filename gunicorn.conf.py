"""gunicorn reads this file from the working directory (the image's /app) before it starts.

Several worker processes without a shared cache would each keep their own rate-limit
counters (an attacker's guesses spread over the workers multiply the limits) and their
own cached statistics. So gunicorn refuses to start with more than one worker, DEBUG off
and no REDIS_URL, and says how to fix it.
"""

import os


def on_starting(server):
    debug = os.getenv("DEBUG", "false").strip().lower() in ("1", "true", "yes", "on")
    if server.cfg.workers > 1 and not os.getenv("REDIS_URL") and not debug:
        message = (
            f"refusing to start {server.cfg.workers} workers without a shared cache: set REDIS_URL "
            "(e.g. redis://redis:6379/0) so that throttles and cached statistics are shared, "
            "or run one worker (WEB_CONCURRENCY=1)"
        )
        server.log.error(message)
        raise SystemExit(message)
