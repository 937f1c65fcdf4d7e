"""Gunicorn settings for Madoguchi: `gunicorn -c gunicorn.conf.py` (docs/production.md).

Every value can be changed through the environment, so one file serves every server:
PORTAL_BIND, WEB_CONCURRENCY, PORTAL_THREADS, PORTAL_WORKER_CONNECTIONS, PORTAL_TIMEOUT,
FORWARDED_ALLOW_IPS, PORTAL_LOG_LEVEL.
"""
import multiprocessing
import os

wsgi_app = "wsgi:app"

# Listen on the loopback only: nginx (or another reverse proxy) in front terminates TLS.
bind = [os.environ.get("PORTAL_BIND", "127.0.0.1:8000")]

# Processes x threads. gthread keeps a slow client or a PDF rendering from blocking a worker.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("PORTAL_THREADS", "4"))

# At most two connections per thread in a worker: a busy worker leaves the next connection in the
# listen queue for a free one. With the default (1,000) the kept-alive connections of nginx
# (`keepalive 16`) or of a load tester were shared out once, at random: one worker could hold
# twelve of sixteen, saturate its core while the other idled, and throughput halved until the
# connections were reopened (docs/performance.md, "Connections per worker").
worker_connections = int(os.environ.get("PORTAL_WORKER_CONNECTIONS") or threads * 2)

# A PDF with Japanese fonts can take a few seconds; nothing legitimate takes a minute.
timeout = int(os.environ.get("PORTAL_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then (spread out) so that a slow leak never becomes an outage.
max_requests = 10000
max_requests_jitter = 1000

# The app is built once in the master and forked: a worker (re)starts in milliseconds instead of
# importing everything again (about a second of CPU per restart, which max_requests makes
# frequent under load; see docs/performance.md). Each worker still opens its own database
# connections: post_fork empties the pools it inherited.
preload_app = True


def when_ready(server):
    _warn_of_per_worker_limits(server)
    # Which libpq the workers talk to PostgreSQL through (psycopg's binary wheel brings its own
    # libpq and OpenSSL, its c and python implementations use the system's), written once so
    # that a crash report says (docs/performance.md, "Worker crashes"). Only when the app has
    # loaded psycopg already: a SQLite server does not load it for this.
    import sys

    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        server.log.info("database client: psycopg %s (%s implementation), libpq %s",
                        psycopg.__version__, psycopg.pq.__impl__, psycopg.pq.version())
    # Before the first fork: what a new worker would do on its first requests (lazy imports,
    # template compiling, catalogues) done once here, so a recycled worker serves at full speed
    # from its first request (portal/web/warm.py; docs/performance.md, fourth round).
    if server.cfg.preload_app:
        from portal.web.warm import warm_up

        warm_up(server.app.wsgi())


def _warn_of_per_worker_limits(server):
    # The embedded default (memory://) counts rate limits in each worker's memory: with N
    # workers a password guesser gets N x 5 tries per account and address, not 5 (docs/production.md §3).
    storage = os.environ.get("PORTAL_RATELIMIT_STORAGE_URL", "memory://")
    if server.cfg.workers > 1 and storage.startswith("memory://"):
        server.log.warning(
            "PORTAL_RATELIMIT_STORAGE_URL is %s: sign-in throttling and API limits are counted per "
            "worker, so %s workers allow %s times the configured failed sign-ins. Set "
            "PORTAL_RATELIMIT_STORAGE_URL=redis://HOST:6379/0 (docs/production.md, section 3).",
            storage, server.cfg.workers, server.cfg.workers)


def pre_fork(server, worker):
    # Everything the master built (the app, imported modules) is never freed: keep the garbage
    # collector from walking it in every worker, which copies each page it touches (gc.freeze).
    import gc

    gc.freeze()


def post_fork(server, worker):
    # A worker that crashes in C code (SIGSEGV, SIGABRT, SIGBUS, SIGFPE) writes the Python stack
    # of every thread to the error log before it dies (docs/performance.md, "Worker crashes").
    import faulthandler

    faulthandler.enable(all_threads=True)

    from portal.db import forget_inherited_connections

    forget_inherited_connections(worker.app.wsgi())


# Trust X-Forwarded-* only from the proxy in front (the app's ProxyFix needs PORTAL_PROXY_FIX=1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The portal writes one JSON line per request itself (logger portal.request, with the request
# id, user, organisation, route, status and duration), so gunicorn's access log stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PORTAL_LOG_LEVEL", "info").lower()
capture_output = False

# Heartbeat files in memory, not on a possibly slow disk (containers, VMs).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

proc_name = "madoguchi"

# gunicorn >= 27 opens a control socket in the home folder; one per user would collide when two
# portals (or a test) run side by side, and systemd already controls the process.
control_socket_disable = True
