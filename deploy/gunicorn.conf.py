"""gunicorn for GovPub behind nginx (docs/deployment.md).

    /opt/govpub/.venv/bin/gunicorn -c /opt/govpub/deploy/gunicorn.conf.py

Every value comes from the environment file systemd loads (/etc/govpub/govpub.env), with safe defaults:
listen on loopback only (nginx in front), threads for slow uploads and platform calls, JSON logs on stderr.
"""

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govpub.settings")
os.environ.setdefault("GOVPUB_LOG_FORMAT", "json")

wsgi_app = "govpub.wsgi:application"
# Loopback or a unix socket only: X-Forwarded-* are believed from GOVPUB_TRUSTED_PROXIES, so nothing else
# may reach this port directly.
bind = [b.strip() for b in os.environ.get("GOVPUB_BIND", "127.0.0.1:8000").split(",") if b.strip()]
workers = int(os.environ.get("GOVPUB_WEB_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
worker_class = "gthread"
threads = int(os.environ.get("GOVPUB_WEB_THREADS", "4"))
timeout = int(os.environ.get("GOVPUB_WEB_TIMEOUT", "120"))  # a 50 MB Word import takes a while
graceful_timeout = 30
keepalive = 5
# The master loads the application, compiles the checker and maps the typo model (govpub/wsgi.py) before it
# forks: workers share those pages and a recycled worker starts warm (bench/textcheck_memory.py). The price:
# HUP (systemctl reload) restarts workers from the master's loaded code, so an upgrade needs a restart.
preload_app = os.environ.get("GOVPUB_WEB_PRELOAD", "1").strip().lower() not in ("0", "false", "no", "off")
# Recycle workers now and then (memory fragmentation from large imports). Measured with 5 workers (bench/
# textcheck_memory.py): a worker's RSS grows ~11 MB over its first ~100 checks, then by 0.3 MB over the next 300,
# so checking does not need recycling; with preload a recycled worker forks warm, so recycling costs nothing.
max_requests = 2000
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100
# nginx's X-Forwarded-Proto is honoured only from these addresses (the same list the application trusts).
forwarded_allow_ips = os.environ.get("GOVPUB_TRUSTED_PROXIES", "127.0.0.1,::1")
# The heartbeat file on tmpfs: a disk-backed /tmp can stall workers (gunicorn's own advice).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The control socket (gunicornc) lives in systemd's RuntimeDirectory; without one (a test, a shell) none.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
else:
    control_socket_disable = True

# No access log: the application logs every request once (govpub.request), as JSON, without the query string
# and with the user's id only. gunicorn's own messages go to stderr in the same format.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GOVPUB_LOG_LEVEL", "info").lower()
_formatter = "json" if os.environ.get("GOVPUB_LOG_FORMAT", "json").strip().lower() == "json" else "plain"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "govpub.ops.logs.MaskPersonalData"}},
    "formatters": {
        "json": {"()": "govpub.ops.logs.JsonFormatter"},
        "plain": {"()": "govpub.ops.logs.PlainFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": _formatter, "filters": ["mask"],
                          "stream": "ext://sys.stderr"},
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},  # the application configures its own
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
