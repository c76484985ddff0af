"""`run_bench`: serve with gunicorn and measure (benchmarks/bench.py); called by `make bench`."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks import bench, scale


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise CommandError("gunicorn kwam niet op.")


class Command(BaseCommand):
    help = "Meet de kernhandelingen tegen een minimale ingelogde pagina (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--small", help="results of the small tier, for the 1.5× ratio")
        parser.add_argument("--quick", action="store_true", help="list and case page only")
        parser.add_argument("--requests", type=int, default=40)
        parser.add_argument("--mixed-seconds", type=float, default=30)

    def handle(self, *args, out, small, quick, requests, mixed_seconds, **options):
        if settings.DEBUG:
            raise CommandError("Meet met productie-instellingen: DEBUG=false.")
        tier = scale.existing_tier()
        if tier is None:
            raise CommandError("Geen schaaldata: eerst generate_scale_data --tier ….")
        facts = bench.prepare_export(scale.scale_facts())
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "ipgar.wsgi", "--config=gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=os.environ.copy(),
        )  # fmt: skip
        try:
            _wait_until_up(port)
            http = bench.Http("127.0.0.1", port)
            self.stdout.write(f"Meten op tier '{tier}' (gunicorn.conf.py, poort {port})…")
            only = {"baseline", "case_list", "case_page"} if quick else None
            operations = bench.measure_operations(
                http, facts, requests=requests, only=only, log=self.stdout.write
            )
            results = {
                "machine": bench.machine(),
                "tier": tier,
                "baseline": {
                    key: operations["baseline"][key]
                    for key in ("p50_ms", "p95_ms", "p50_4c_ms", "p95_4c_ms", "queries")
                },
                "operations": {k: v for k, v in operations.items() if k != "baseline"},
            }
            if not quick:
                self.stdout.write("  mixed…")
                results["mixed"] = bench.measure_mixed(
                    http, facts, clients=8, seconds=mixed_seconds
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        if not quick:
            self.stdout.write("  letter…")
            results["operations"]["letter"] = bench.measure_letter(facts, renders=20)
            self.stdout.write("  sweep…")
            results["sweep"] = bench.measure_sweep()
            if small:
                smalls = json.loads(Path(small).read_text(encoding="utf-8"))
                results["small_tier"] = {
                    name: {"p50_ms": row["p50_ms"], "p95_ms": row["p95_ms"]}
                    for name, row in smalls["operations"].items()
                }
                results["small_tier"]["baseline"] = smalls["baseline"]
            self.stdout.write(bench.table(results))
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        bench.write_results(results, out)
        self.stdout.write(self.style.SUCCESS(f"Geschreven: {out}"))
