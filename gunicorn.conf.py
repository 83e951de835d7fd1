"""gunicorn settings for Lotse (README, "Production"): `gunicorn -c gunicorn.conf.py`.

Calendar apps poll feeds all day: many clients, each idle most of the time. gthread
workers keep idle keep-alive connections in a poller instead of a busy worker, and a
few threads per process overlap the database round trips. The access log redacts
secret tokens in feed, family and invitation URLs (backend/lib/serverlog.py).

Every value can be overridden from the environment (or on the command line).
"""

import os

wsgi_app = "backend.lotse.wsgi:application"
# Each worker thread keeps its database connection (checked before reuse) instead of
# opening one per request: most requests are cheap feed polls.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two cores: two processes, a few threads each.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Connections a worker keeps open at once (idle pollers included).
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "15"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak cannot grow for ever.
max_requests = 5000
max_requests_jitter = 500

# Lotse refuses query strings longer than REQUEST_MAX_QUERY_BYTES with a clear 400;
# the request line may be longer than that, so Lotse's answer is the one people see.
limit_request_line = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
logger_class = "backend.lib.serverlog.RedactingLogger"

# Behind a TLS proxy on the same machine (HTTPS=1): trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
