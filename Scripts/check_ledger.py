#!/usr/bin/env python3
"""Exactly-once check of the load client's comments against the ledger, read through the command line.

    Scripts/check_ledger.py --bin BUCKSTOP --db DB [--keys FILE] --prefix load-RUN \
        --acked A.jsonl [--acked …] [--others O.jsonl …] [--cases CODE …] [--summary FILE] [--jobs N]

For every case the load client wrote to (from --acked, --others and --cases), runs `buckstop case show CODE --db DB
[--keys FILE]` (--jobs at a time, default one per core) and reads its timeline: an entry line "  #INDEX  time
action — actor" followed by detail lines indented by eight spaces; a comment's detail line is its text. Every text starting with --prefix is collected with
its case and ledger index. Then:

  missing          acknowledged (201) texts not on the ledger                                  → failure
  duplicates       texts on the ledger more than once                                           → failure
  wrong case       acknowledged texts found under another case than the one they were sent to   → failure
  wrong index      acknowledged texts found at another index than the 201 answer named          → failure
  stray            texts on the ledger that were never sent (or were refused before sending)    → failure
  after 4xx        texts on the ledger although the server answered 4xx                         → failure
  unknown, there   sent without an answer (reset, timeout) or answered 5xx, yet on the ledger: the append
                   committed and the answer was lost (allowed: the client cannot know; reported)

Prints the counts (and the first offenders) and writes them as JSON to --summary. Exit status: 0 when no failure,
1 on a failure, 2 when a `case show` failed. Python 3 standard library only.
"""
import argparse
import collections
import concurrent.futures
import errno
import json
import os
import re
import subprocess
import sys
import time

ENTRY = re.compile(r"^  #(\d+)\s")
DETAIL = re.compile(r"^ {8}(\S.*?)\s*$")


def read_jsonl(paths):
    rows = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        # A torn last line cannot happen with one write(2) per line, but say so if it does.
                        print(f"check_ledger: {path}:{n}: not JSON: {line[:80]!r}", file=sys.stderr)
        except FileNotFoundError:
            pass
    return rows


def main():
    p = argparse.ArgumentParser(description="Exactly-once check of load-client comments (see the module docstring).")
    p.add_argument("--bin", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--keys")
    p.add_argument("--prefix", required=True, help="text prefix of this run's comments, e.g. load-RUN")
    p.add_argument("--acked", action="append", default=[])
    p.add_argument("--others", action="append", default=[])
    p.add_argument("--cases", nargs="*", default=[])
    p.add_argument("--summary")
    p.add_argument("--show-limit", type=int, default=10, help="offenders listed per kind")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="`case show` processes at a time")
    args = p.parse_args()

    acked_rows = [r for r in read_jsonl(args.acked) if r.get("text", "").startswith(args.prefix)]
    other_rows = [r for r in read_jsonl(args.others) if r.get("text", "").startswith(args.prefix)]
    acked = {}
    for r in acked_rows:
        if r["text"] in acked:
            print(f"check_ledger: {r['text']} acknowledged twice by the load client's file", file=sys.stderr)
        acked[r["text"]] = r
    others = {r["text"]: r for r in other_rows}
    cases = sorted({r["case"] for r in acked_rows} | {r["case"] for r in other_rows} | set(args.cases))

    def show(code):
        cmd = [args.bin, "case", "show", code, "--db", args.db] + (["--keys", args.keys] if args.keys else [])
        for attempt in range(30):  # a build replacing the binary: "Text file busy" or a moment without it
            try:
                return code, subprocess.run(cmd, capture_output=True, text=True)
            except OSError as e:
                if e.errno not in (errno.ETXTBSY, errno.ENOENT) or attempt == 29:
                    raise
                time.sleep(2)

    found = collections.defaultdict(list)  # text -> [(case, index)]
    entries_read = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(show, cases))
    for code, proc in results:
        if proc.returncode != 0:
            print(f"check_ledger: `buckstop case show {code}` exited {proc.returncode}:\n{proc.stderr[-2000:]}",
                  file=sys.stderr)
            return 2
        index = None
        for line in proc.stdout.splitlines():
            m = ENTRY.match(line)
            if m:
                index = int(m.group(1))
                entries_read += 1
                continue
            m = DETAIL.match(line)
            if m and index is not None and m.group(1).startswith(args.prefix):
                found[m.group(1)].append((code, index))
                index = None  # one text per entry

    missing = sorted(t for t in acked if t not in found)
    duplicates = sorted(t for t, where in found.items() if len(where) > 1)
    wrong_case = sorted(t for t, r in acked.items() if t in found and any(c != r["case"] for c, _ in found[t]))
    wrong_index = sorted(
        t for t, r in acked.items()
        if t in found and r.get("index") is not None and all(i != r["index"] for _, i in found[t]))
    stray = sorted(t for t in found if t not in acked and t not in others)
    after_4xx = sorted(t for t in found if t in others and 400 <= (others[t].get("status") or 0) < 500)
    unknown_there = sorted(t for t in found if t in others and t not in after_4xx)
    unknown_sent = len(others)

    result = {
        "cases": len(cases),
        "entries_read": entries_read,
        "acked": len(acked),
        "found_acked": len(acked) - len(missing),
        "found_total": len(found),
        "missing": len(missing),
        "duplicates": len(duplicates),
        "wrong_case": len(wrong_case),
        "wrong_index": len(wrong_index),
        "stray": len(stray),
        "after_4xx": len(after_4xx),
        "unacked_sent": unknown_sent,
        "unacked_on_ledger": len(unknown_there),
    }
    failed = any(result[k] for k in ("missing", "duplicates", "wrong_case", "wrong_index", "stray", "after_4xx"))
    result["ok"] = not failed
    print("CHECK " + " ".join(f"{k}={v}" for k, v in result.items()))
    lim = args.show_limit
    for name, items in (("missing", missing), ("duplicate", duplicates), ("wrong case", wrong_case),
                        ("wrong index", wrong_index), ("stray", stray), ("on the ledger after 4xx", after_4xx)):
        for t in items[:lim]:
            detail = {"sent": acked.get(t) or others.get(t), "ledger": found.get(t)}
            print(f"  {name}: {t} {json.dumps(detail, ensure_ascii=False)}")
        if len(items) > lim:
            print(f"  … {len(items) - lim} more {name}")
    if args.summary:
        result.update(missing_texts=missing[:100], duplicate_texts=duplicates[:100], stray_texts=stray[:100])
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
