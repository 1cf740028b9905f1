#!/usr/bin/env python3
"""Bounded load client for the durability scripts: comments and owner-changing actions through the JSON API of
`buckstop serve`.

    Scripts/load_client.py --url http://127.0.0.1:PORT [--url URL2 …] --pairs PAIRS.txt --out ACKED.jsonl \
        [--moves MOVES.txt] [--move-every 2] [--rounds-per-case 2] [--threads 4] [--requests N] [--seconds S] \
        [--run-id ID] [--others FILE] [--timeline FILE] [--summary FILE] [--timeout 10] [--stop-when-down S]

Each request is POST URL/api/v1/cases/CODE/actions (or POST URL/api/v1/cases to open one), bearer token from --token
or the environment variable LOAD_TOKEN (preferred: not visible in `ps`); the token must be allowed to act for the
officials named (`token create --acts-for-everyone`). Every request carries a text unique to it, load-RUN-THREAD-N,
in the field that reaches the ledger entry and `buckstop case show`:

  comment   {"type":"comment","actor":OWNER,"text":TEXT} on the (case, owner) pairs (lines "CODE OWNER" of --pairs,
            or --pair CODE:OWNER), spread over the threads;
  moves     with --moves (lines "CODE A B H STATUS UNIT": a case A holds — or "-" for none yet —, B a colleague of A
            in UNIT, H the head of UNIT), every --move-every-th request of a thread is an action on its own mover
            case (a mover line belongs to one thread, so the case's owner is known): A transfer → B (reason TEXT),
            B transfer → A (the ping-pong: the server raises a finding and writes it inside the same request),
            A accept (note TEXT), A escalate → H (proposal TEXT), H delegate → A (instruction TEXT), and round again.
            After --rounds-per-case rounds (and at the start, for "-") the thread opens a new case with
            POST /api/v1/cases {"kind":"task","title":"… TEXT","leadUnit":UNIT,"owner":A,"actor":A} and moves that
            one: findings are raised once per case and official, so a fresh case keeps finding writes coming.
            The owner and status come from each 201 answer; after any other outcome (unknown: the request may have
            committed) they are read again with GET /api/v1/cases/CODE before the next action on that case (not
            counted as an attempt; if that read fails, the thread sends a comment instead; an open whose outcome is
            unknown is followed by another open).

Requests go round-robin over the --url servers (request k of the run to server k mod #servers), each thread keeping
one keep-alive connection per server.

Bounds: --requests (attempts in all, connection refusals included) and/or --seconds; SIGTERM or SIGINT stops it
too, and --stop-when-down S stops it once no server has answered anything for S seconds while connections fail
(the server was killed). Requests in flight are always finished (read or failed) before it exits, so the output
holds every 201 that reached this process. A request is never retried: its outcome may be unknown.

Files (JSON lines, each written with one write(2) as soon as known — the server may be killed at any moment):
  --out       every acknowledged (201) request: text, case (for an open: the code the answer gave), type, actor, to
              (the owner an open or owner-changing action names), index (the ledger index in the response), owner and
              status (the case as the answer gave it),
              findings (id, detector, raisedIndex of every finding the answer lists), server, t
  --others    every request that was sent but not acknowledged: text, case (null for an open), type, actor, to, server,
              status (an HTTP
              status) or error (reset / disconnected / timeout: sent, outcome unknown — it may be on the ledger)
  --timeline  every attempt: t (epoch seconds at the start), dt (seconds), server, type, status or error, text
Connection refusals (nothing sent) are counted only. Errors are classified: refused (connect failed: not sent),
lost (reset or closed after sending), timeout (no answer within --timeout).

Prints one summary line "LOAD key=value …" on stdout (and JSON with per-status and per-type counts, latency and
body samples to --summary). Exit status: 0 when the run ended by its bounds or a signal (whatever the answers), 2 on
bad usage. Python 3 standard library only.
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
        self.by_type = collections.defaultdict(collections.Counter)  # action type -> status or error -> count
        self.per_server = collections.defaultdict(collections.Counter)
        self.max_latency = collections.defaultdict(float)  # status or error -> seconds
        self.samples = collections.defaultdict(list)  # status -> first bodies
        self.findings = collections.Counter()  # detector -> findings listed in 201 answers
        self.refreshes = collections.Counter()  # GET of a mover case: "200" or what went wrong
        self.unexpected = 0  # 201 answers whose case is not what the action implies
        self.last_answer = time.monotonic()
        self.down_since = None  # first connection failure after the last answer

    def answer(self, server, kind, status, latency, body):
        with self.lock:
            self.statuses[status] += 1
            self.by_type[kind][str(status)] += 1
            self.per_server[server][str(status)] += 1
            self.max_latency[str(status)] = max(self.max_latency[str(status)], latency)
            if status != 201 and len(self.samples[str(status)]) < 3:
                self.samples[str(status)].append(f"{kind}: " + body[:300].decode("utf-8", "replace"))
            self.last_answer = time.monotonic()
            self.down_since = None

    def error(self, server, kind, error, latency):
        with self.lock:
            self.errors[error] += 1
            if kind:
                self.by_type[kind][error] += 1
            self.per_server[server][error] += 1
            self.max_latency[error] = max(self.max_latency[error], latency)
            if self.down_since is None:
                self.down_since = time.monotonic()

    def count(self, counter, key, n=1):
        with self.lock:
            counter[key] += n


class Mover:
    """A case whose owner this thread changes: A holds it, B is A's colleague, H the head of their unit. The owner and
    status are what the last 201 answer or GET said; None when unknown (the last request's outcome is unknown). code
    is None until the thread has opened a case (or after the case had its rounds: the next action opens another)."""

    TITLE = "Kiểm thử độ bền — chuyển qua lại, trình, giao"

    def __init__(self, code, a, b, h, unit, rounds):
        self.code = None if code == "-" else code
        self.a, self.b, self.h, self.unit, self.rounds = a, b, h, unit, rounds
        self.owner = None
        self.status = None
        self.turn = 0  # A's actions on this case so far: transfer → B, accept, escalate → H, in turn

    def plan(self, text):
        """(type, actor, fields, to) of the next action: an owner change, or an open when there is no case yet, the
        case had its rounds, or it is in a state the load does not make (resolved, closed: it cannot be moved)."""
        if (self.code is None or self.status not in ("received", "processing") or not self.owner
                or (self.rounds > 0 and self.turn >= 3 * self.rounds and self.owner == self.a)):
            self.code, self.owner, self.status, self.turn = None, None, None, 0
            return "open", self.a, {"kind": "task", "title": f"{self.TITLE} {text}", "leadUnit": self.unit,
                                    "owner": self.a}, self.a
        owner = self.owner
        if owner == self.b:
            return "transfer", owner, {"to": self.a, "reason": text}, self.a
        if owner == self.h:
            return "delegate", owner, {"to": self.a, "instruction": text}, self.a
        if owner != self.a:  # not expected; bring it back to A
            return "transfer", owner, {"to": self.a, "reason": text}, self.a
        step = self.turn % 3
        self.turn += 1
        if step == 0:
            return "transfer", owner, {"to": self.b, "reason": text}, self.b
        if step == 1 and self.status == "received":
            return "accept", owner, {"note": text}, None
        return "escalate", owner, {"to": self.h, "proposal": text}, self.h


class ConnectionFailed(Exception):
    def __init__(self, kind, sent, detail):
        super().__init__(kind)
        self.kind, self.sent, self.detail = kind, sent, detail


def main():
    p = argparse.ArgumentParser(description="Bounded action load for buckstop serve (see the module docstring).")
    p.add_argument("--url", action="append", required=True, help="base URL of a server; repeat for round-robin")
    p.add_argument("--token", default=os.environ.get("LOAD_TOKEN"), help="bearer token (default: $LOAD_TOKEN)")
    p.add_argument("--pairs", help="file of 'CODE OWNER' lines")
    p.add_argument("--pair", action="append", default=[], help="CODE:OWNER; repeatable")
    p.add_argument("--moves", help="file of 'CODE A B H STATUS UNIT' lines: cases whose owner the load changes")
    p.add_argument("--move-every", type=int, default=2,
                   help="every Nth request of a thread with a mover case is an owner-changing action (0: none)")
    p.add_argument("--rounds-per-case", type=int, default=2,
                   help="rounds of owner changes before a thread opens a new mover case (0: never)")
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
    if args.move_every < 0:
        p.error("--move-every must be 0 or more")
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
    moves = []
    if args.moves:
        with open(args.moves, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                w = line.split()
                if not w:
                    continue
                if len(w) < 6 or len({w[1], w[2], w[3]}) < 3:
                    p.error(f"{args.moves}:{n}: expected 'CODE A B H STATUS UNIT' with three different officials, "
                            f"found {line.strip()!r}")
                moves.append((w[0], w[1], w[2], w[3], w[5]))
        codes = [m[0] for m in moves if m[0] != "-"]
        if len(set(codes)) < len(codes):
            p.error(f"{args.moves}: a case is listed twice (each mover case belongs to one thread)")

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
        movers = [Mover(*m, args.rounds_per_case) for j, m in enumerate(moves) if j % args.threads == tid]
        mover_turn = 0

        def exchange(si, method, path, body):
            """(status, bytes) of one request on this thread's connection to server si; ConnectionFailed otherwise."""
            server = servers[si]
            conn = conns[si]
            if conn is None:
                conn = conns[si] = http.client.HTTPConnection(server.host, server.port, timeout=args.timeout)
            if conn.sock is None:
                try:
                    conn.connect()
                    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    conns[si] = None
                    raise ConnectionFailed("timeout" if isinstance(e, (socket.timeout, TimeoutError)) else "refused",
                                           False, type(e).__name__) from None
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if resp.will_close:
                    conn.close()
                    conns[si] = None
                return resp.status, data
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                conns[si] = None
                raise ConnectionFailed("timeout" if isinstance(e, (socket.timeout, TimeoutError)) else "lost",
                                       True, type(e).__name__) from None

        def refresh(si, mover):
            """Reads the mover case's owner and status; False when that failed."""
            server = servers[si]
            path = f"{server.prefix}/api/v1/cases/{urllib.parse.quote(mover.code, safe='')}"
            try:
                status, data = exchange(si, "GET", path, None)
            except ConnectionFailed as e:
                stats.count(stats.refreshes, e.kind)
                return False
            if status != 200:
                stats.count(stats.refreshes, str(status))
                return False
            try:
                c = json.loads(data)
                mover.owner, mover.status = c.get("owner"), c.get("status")
            except (ValueError, AttributeError):
                stats.count(stats.refreshes, "not JSON")
                return False
            stats.count(stats.refreshes, "200")
            return True

        while not stop.is_set():
            if deadline is not None and time.monotonic() >= deadline:
                break
            k = claim()
            if k is None:
                break
            si = k % len(servers)
            server = servers[si]
            text = f"load-{args.run_id}-{tid}-{n}"
            n += 1
            mover, planned = None, None
            if movers and args.move_every > 0 and n % args.move_every == 0:
                mover = movers[mover_turn % len(movers)]
                mover_turn += 1
                if mover.code is not None and mover.owner is None and not refresh(si, mover):
                    mover = None
                else:
                    planned = mover.plan(text)
            if planned:
                kind, actor, fields, to = planned
                code = mover.code
            else:
                kind, to, fields = "comment", None, {"text": text}
                code, actor = pairs[(offset + n) % len(pairs)]
            if kind == "open":
                body = json.dumps({"actor": actor, **fields}, ensure_ascii=False).encode()
                path = f"{server.prefix}/api/v1/cases"
            else:
                body = json.dumps({"type": kind, "actor": actor, **fields}, ensure_ascii=False).encode()
                path = f"{server.prefix}/api/v1/cases/{urllib.parse.quote(code, safe='')}/actions"
            sent = {"text": text, "case": code, "type": kind, "actor": actor}
            if to:
                sent["to"] = to
            t_wall, t0 = time.time(), time.monotonic()
            try:
                status, data = exchange(si, "POST", path, body)
            except ConnectionFailed as e:
                dt = time.monotonic() - t0
                stats.error(server.url, kind, e.kind, dt)
                if mover:
                    mover.owner = None  # a lost request may have committed: read the case again first
                if e.sent:
                    others.write({**sent, "server": server.url, "error": e.kind, "detail": e.detail})
                timeline.write({"t": round(t_wall, 4), "dt": round(dt, 4), "server": server.url, "type": kind,
                                "error": e.kind, "sent": e.sent, "text": text})
                failures += 1
                stop.wait(min(args.max_backoff, 0.02 * (2 ** min(failures, 10))) * random.uniform(0.5, 1.0))
                continue
            failures = 0
            dt = time.monotonic() - t0
            if status == 201:
                record = {**sent, "index": None, "owner": None, "status": None, "findings": [], "server": server.url}
                try:
                    answer = json.loads(data)
                    record["index"] = answer.get("index")
                    case = answer.get("case") or {}
                    record["owner"], record["status"] = case.get("owner"), case.get("status")
                    if kind == "open":
                        record["case"] = case.get("code")
                    record["findings"] = [{"id": f.get("id"), "detector": f.get("detector"),
                                           "raisedIndex": f.get("raisedIndex")} for f in answer.get("findings") or []]
                except (ValueError, AttributeError, TypeError):
                    pass
                record["t"] = round(time.time(), 4)
                acked.write(record)
                for f in record["findings"]:
                    stats.count(stats.findings, f.get("detector") or "?")
                if mover:
                    mover.owner, mover.status = record["owner"], record["status"]
                    if kind == "open":
                        mover.code = record["case"]
                    if (to and record["owner"] != to) or (kind == "accept" and record["status"] != "processing"):
                        with stats.lock:
                            stats.unexpected += 1
            else:
                if mover:
                    mover.owner = None
                others.write({**sent, "server": server.url, "status": status,
                              "body": data[:200].decode("utf-8", "replace")})
            stats.answer(server.url, kind, status, dt, data)
            timeline.write({"t": round(t_wall, 4), "dt": round(dt, 4), "server": server.url, "type": kind,
                            "status": status, "text": text})
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
    moves201 = sum(c.get("201", 0) for k, c in stats.by_type.items() if k not in ("comment", "open"))
    opens201 = stats.by_type.get("open", {}).get("201", 0)
    summary = {
        "run_id": args.run_id,
        "servers": [s.url for s in servers],
        "threads": args.threads,
        "movers": len(moves),
        "started": started_wall,
        "elapsed": round(elapsed, 3),
        "attempts": counter[0],
        "acked": n201,
        "acked_moves": moves201,
        "acked_opens": opens201,
        "rps_acked": round(n201 / elapsed, 1) if elapsed > 0 else 0,
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "errors": dict(sorted(stats.errors.items())),
        "by_type": {k: dict(sorted(v.items())) for k, v in sorted(stats.by_type.items())},
        "findings": dict(sorted(stats.findings.items())),
        "unexpected_answers": stats.unexpected,
        "refreshes": dict(sorted(stats.refreshes.items())),
        "per_server": {k: dict(v) for k, v in stats.per_server.items()},
        "max_latency": {k: round(v, 3) for k, v in sorted(stats.max_latency.items())},
        "samples": dict(stats.samples),
        "stopped_by": stop_reason,
    }
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1)
    fmt = lambda d: ",".join(f"{k}:{v}" for k, v in d.items()) or "-"
    print(f"LOAD run={args.run_id} elapsed={elapsed:.2f}s attempts={counter[0]} acked={n201} moves={moves201} opens={opens201} "
          f"findings={sum(stats.findings.values())} rps={summary['rps_acked']} statuses={fmt(summary['statuses'])} "
          f"errors={fmt(summary['errors'])} stopped_by={stop_reason}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
