#!/usr/bin/env python3
"""Bounded load client for the durability scripts: comment actions through the JSON API of `buckstop serve`.

    Scripts/load_client.py --url http://127.0.0.1:PORT [--url URL2 …] --pairs PAIRS.txt --out ACKED.jsonl \
        [--threads 4] [--requests N] [--seconds S] [--run-id ID] [--others FILE] [--timeline FILE] \
        [--summary FILE] [--timeout 10] [--stop-when-down S]

Each request is POST URL/api/v1/cases/CODE/actions with {"type":"comment","actor":OWNER,"text":TEXT}, bearer token
from --token or the environment variable LOAD_TOKEN (preferred: not visible in `ps`). TEXT is unique per request:
load-RUN-THREAD-N. Requests go round-robin over the --url servers (request k of the run to server k mod #servers),
each thread keeping one keep-alive connection per server; the (case, owner) pairs (lines "CODE OWNER" of --pairs,
or --pair CODE:OWNER) are spread over the threads.

Bounds: --requests (attempts in all, connection refusals included) and/or --seconds; SIGTERM or SIGINT stops it
too, and --stop-when-down S stops it once no server has answered anything for S seconds while connections fail
(the server was killed). Requests in flight are always finished (read or failed) before it exits, so the output
holds every 201 that reached this process. A request is never retried: its outcome may be unknown.

Files (JSON lines, each written with one write(2) as soon as known — the server may be killed at any moment):
  --out       every acknowledged (201) request: text, case, index (the ledger index in the response), server, t
  --others    every request that was sent but not acknowledged: text, case, server, status (an HTTP status) or
              error (reset / disconnected / timeout: sent, outcome unknown — it may be on the ledger)
  --timeline  every attempt: t (epoch seconds at the start), dt (seconds), server, status or error, text
Connection refusals (nothing sent) are counted only. Errors are classified: refused (connect failed: not sent),
lost (reset or closed after sending), timeout (no answer within --timeout).

Prints one summary line "LOAD key=value …" on stdout (and JSON with per-status latency and body samples to
--summary). Exit status: 0 when the run ended by its bounds or a signal (whatever the answers), 2 on bad usage.
Python 3 standard library only.
"""
import argparse
import collections
import http.client
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse


class JSONLines:
    """Append-only JSON lines, one write(2) per line, shared by the threads."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if path else None
        self.lock = threading.Lock()

    def write(self, obj):
        if self.fd is None:
            return
        data = (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        with self.lock:
            while data:
                n = os.write(self.fd, data)
                data = data[n:]

    def close(self):
        if self.fd is not None:
            os.close(self.fd)


class Server:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "http" or not u.hostname:
            raise SystemExit(f"load_client: expected an http://HOST:PORT URL, found {url!r}")
        self.url = url.rstrip("/")
        self.host = u.hostname
        self.port = u.port or 80
        self.prefix = u.path.rstrip("/")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.errors = collections.Counter()
        self.per_server = collections.defaultdict(collections.Counter)
        self.max_latency = collections.defaultdict(float)  # status or error -> seconds
        self.samples = collections.defaultdict(list)  # status -> first bodies
        self.attempts = 0
        self.last_answer = time.monotonic()
        self.down_since = None  # first connection failure after the last answer

    def answer(self, server, status, latency, body):
        with self.lock:
            self.statuses[status] += 1
            self.per_server[server][str(status)] += 1
            self.max_latency[str(status)] = max(self.max_latency[str(status)], latency)
            if status != 201 and len(self.samples[str(status)]) < 3:
                self.samples[str(status)].append(body[:300].decode("utf-8", "replace"))
            self.last_answer = time.monotonic()
            self.down_since = None

    def error(self, server, kind, latency):
        with self.lock:
            self.errors[kind] += 1
            self.per_server[server][kind] += 1
            self.max_latency[kind] = max(self.max_latency[kind], latency)
            if self.down_since is None:
                self.down_since = time.monotonic()


def main():
    p = argparse.ArgumentParser(description="Bounded comment load for buckstop serve (see the module docstring).")
    p.add_argument("--url", action="append", required=True, help="base URL of a server; repeat for round-robin")
    p.add_argument("--token", default=os.environ.get("LOAD_TOKEN"), help="bearer token (default: $LOAD_TOKEN)")
    p.add_argument("--pairs", help="file of 'CODE OWNER' lines")
    p.add_argument("--pair", action="append", default=[], help="CODE:OWNER; repeatable")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--requests", type=int, default=0, help="total attempts (0: no bound)")
    p.add_argument("--seconds", type=float, default=0, help="duration (0: no bound)")
    p.add_argument("--run-id", default=f"{int(time.time())}{os.getpid()}", help="part of every text; unique per run")
    p.add_argument("--out", required=True, help="JSON lines of the acknowledged (201) requests")
    p.add_argument("--others", help="JSON lines of the sent, unacknowledged requests")
    p.add_argument("--timeline", help="JSON lines of every attempt")
    p.add_argument("--summary", help="JSON summary file")
    p.add_argument("--timeout", type=float, default=10.0, help="per-request socket timeout, seconds")
    p.add_argument("--stop-when-down", type=float, default=0, help="stop after S seconds of only connection failures")
    p.add_argument("--max-backoff", type=float, default=0.25, help="longest pause after a connection failure")
    p.add_argument("--error-pause", type=float, default=0.01, help="pause after an answer other than 2xx, seconds")
    args = p.parse_args()

    if not args.token:
        p.error("no token: pass --token or set LOAD_TOKEN")
    if args.requests <= 0 and args.seconds <= 0 and args.stop_when_down <= 0:
        p.error("give a bound: --requests, --seconds or --stop-when-down")
    if args.threads < 1:
        p.error("--threads must be at least 1")
    pairs = []
    if args.pairs:
        with open(args.pairs, encoding="utf-8") as f:
            for line in f:
                w = line.split()
                if len(w) >= 2:
                    pairs.append((w[0], w[1]))
    for item in args.pair:
        code, _, owner = item.partition(":")
        if not code or not owner:
            p.error(f"--pair expects CODE:OWNER, found {item!r}")
        pairs.append((code, owner))
    if not pairs:
        p.error("no (case, owner) pairs: --pairs FILE or --pair CODE:OWNER")

    servers = [Server(u) for u in args.url]
    acked = JSONLines(args.out)
    others = JSONLines(args.others)
    timeline = JSONLines(args.timeline)
    stats = Stats()
    stop = threading.Event()
    counter_lock = threading.Lock()
    counter = [0]
    started = time.monotonic()
    started_wall = time.time()
    deadline = started + args.seconds if args.seconds > 0 else None
    headers = {
        "Authorization": f"Bearer {args.token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Connection": "keep-alive",
    }

    def claim():
        """The request's number in the run, or None when the bound is reached."""
        with counter_lock:
            if args.requests > 0 and counter[0] >= args.requests:
                return None
            counter[0] += 1
            return counter[0] - 1

    def worker(tid):
        conns = [None] * len(servers)
        n = 0
        failures = 0  # consecutive connection failures, for the backoff
        offset = random.randrange(len(pairs))
        while not stop.is_set():
            if deadline is not None and time.monotonic() >= deadline:
                break
            k = claim()
            if k is None:
                break
            si = k % len(servers)
            server = servers[si]
            code, owner = pairs[(offset + n) % len(pairs)]
            text = f"load-{args.run_id}-{tid}-{n}"
            n += 1
            body = json.dumps({"type": "comment", "actor": owner, "text": text}, ensure_ascii=False).encode()
            path = f"{server.prefix}/api/v1/cases/{urllib.parse.quote(code, safe='')}/actions"
            t_wall, t0 = time.time(), time.monotonic()
            conn = conns[si]
            if conn is None:
                conn = conns[si] = http.client.HTTPConnection(server.host, server.port, timeout=args.timeout)
            kind = None
            if conn.sock is None:
                try:
                    conn.connect()
                    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                except (OSError, http.client.HTTPException) as e:
                    kind = "timeout" if isinstance(e, (socket.timeout, TimeoutError)) else "refused"
                    conn.close()
                    conns[si] = None
                    dt = time.monotonic() - t0
                    stats.error(server.url, kind, dt)
                    timeline.write({"t": round(t_wall, 4), "dt": round(dt, 4), "server": server.url, "error": kind,
                                    "sent": False, "text": text})
                    failures += 1
                    stop.wait(min(args.max_backoff, 0.02 * (2 ** min(failures, 10))) * random.uniform(0.5, 1.0))
                    continue
            try:
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                if resp.will_close:
                    conn.close()
                    conns[si] = None
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                conns[si] = None
                kind = "timeout" if isinstance(e, (socket.timeout, TimeoutError)) else "lost"
                dt = time.monotonic() - t0
                stats.error(server.url, kind, dt)
                record = {"text": text, "case": code, "server": server.url, "error": kind, "detail": type(e).__name__}
                others.write(record)
                timeline.write({"t": round(t_wall, 4), "dt": round(dt, 4), "server": server.url, "error": kind,
                                "sent": True, "text": text})
                failures += 1
                stop.wait(min(args.max_backoff, 0.02 * (2 ** min(failures, 10))) * random.uniform(0.5, 1.0))
                continue
            failures = 0
            dt = time.monotonic() - t0
            if status == 201:
                index = None
                try:
                    index = json.loads(data).get("index")
                except (ValueError, AttributeError):
                    pass
                acked.write({"text": text, "case": code, "index": index, "server": server.url,
                             "t": round(time.time(), 4)})
            else:
                others.write({"text": text, "case": code, "server": server.url, "status": status,
                              "body": data[:200].decode("utf-8", "replace")})
            stats.answer(server.url, status, dt, data)
            timeline.write({"t": round(t_wall, 4), "dt": round(dt, 4), "server": server.url, "status": status,
                            "text": text})
            if not 200 <= status < 300 and args.error_pause > 0:
                stop.wait(args.error_pause)
        for c in conns:
            if c is not None:
                c.close()

    def on_signal(signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True, name=f"load-{i}") for i in range(args.threads)]
    for t in threads:
        t.start()
    stop_reason = "bound"
    while any(t.is_alive() for t in threads):
        for t in threads:
            t.join(0.05)
        if stop.is_set() and stop_reason == "bound":
            stop_reason = "signal"
        if args.stop_when_down > 0 and not stop.is_set():
            with stats.lock:
                down = stats.down_since
            if down is not None and time.monotonic() - down >= args.stop_when_down:
                stop_reason = "down"
                stop.set()
    elapsed = time.monotonic() - started
    acked.close()
    others.close()
    timeline.close()

    n201 = stats.statuses.get(201, 0)
    summary = {
        "run_id": args.run_id,
        "servers": [s.url for s in servers],
        "threads": args.threads,
        "started": started_wall,
        "elapsed": round(elapsed, 3),
        "attempts": counter[0],
        "acked": n201,
        "rps_acked": round(n201 / elapsed, 1) if elapsed > 0 else 0,
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "errors": dict(sorted(stats.errors.items())),
        "per_server": {k: dict(v) for k, v in stats.per_server.items()},
        "max_latency": {k: round(v, 3) for k, v in sorted(stats.max_latency.items())},
        "samples": dict(stats.samples),
        "stopped_by": stop_reason,
    }
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1)
    fmt = lambda d: ",".join(f"{k}:{v}" for k, v in d.items()) or "-"
    print(f"LOAD run={args.run_id} elapsed={elapsed:.2f}s attempts={counter[0]} acked={n201} "
          f"rps={summary['rps_acked']} statuses={fmt(summary['statuses'])} errors={fmt(summary['errors'])} "
          f"stopped_by={stop_reason}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
