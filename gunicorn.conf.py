"""gunicorn as production runs it: the image's CMD (`--config=gunicorn.conf.py`) and `make bench`
read this file, so the benchmark measures what is deployed. Environment variables override.

Why these numbers (issue 19; measured with `make bench`, 8 clients, on 2 cores):

- **Threads (gthread), not only processes.** A page of this application spends a good part of
  its time waiting: on PostgreSQL (8 to 25 queries a page, CONN_MAX_AGE keeps the connection per
  thread) and on the client. A sync worker sits idle during that wait; a thread frees the GIL
  and lets the process serve another request. 4 threads per process keep the cores busy at 8
  clients without queueing requests behind one slow page (a PDF, the monitor cold).
- **2 processes per core.** The GIL lets one thread of a process run Python at a time; with
  one process per core a page of 30 ms of Python holds a core's queue. Two per core overlap
  one process's Python with the other's database wait. More processes cost memory (about
  120 MB each) and database connections (workers × threads, here 4 × 4 = 16 on 2 cores;
  PostgreSQL allows 100) without more throughput: the cores are the limit.
- **max_requests** recycles a process after 2,000 requests (with jitter, not all at once), so
  a slow leak in a library cannot grow without bound.
- **timeout 120 s**: the longest request is the access-request PDF of a large file.
"""

import os
from pathlib import Path

CORES = os.cpu_count() or 1

workers = int(os.environ.get("GUNICORN_WORKERS", 2 * CORES))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file on a memory file system: a busy disk must not look like a hung worker.
SHM = Path("/dev/shm")  # noqa: S108  (gunicorn's own heartbeat files, not ours)
worker_tmp_dir = str(SHM) if SHM.is_dir() else None
