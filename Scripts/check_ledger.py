#!/usr/bin/env python3
"""Exactly-once and projection check of the load client's requests against the ledger, read through the command line.

    Scripts/check_ledger.py --bin BUCKSTOP --db DB [--keys FILE] --prefix load-RUN \
        --acked A.jsonl [--acked …] [--others O.jsonl …] [--moves MOVES.txt] [--expect-acked N] \
        [--cases CODE …] [--summary FILE] [--jobs N]

Every file named must exist (a missing acknowledgement file is an error, exit 2, never an empty list). Lists every
case (`buckstop case show --limit …`) for the ones the load opened (their titles carry its text: an open whose answer
was lost is found too). For every case the load client wrote to (from --acked, --others, --moves, those titles and
--cases), runs `buckstop case show CODE --db DB [--keys FILE]` (--jobs at a time, default one per core) and reads
  its header     "  trạng thái / status: …" and "  người chịu trách nhiệm / accountable: NAME (ID, …) …" — the case's
                 projection (status and owner) as the store holds it;
  its timeline   an entry line "  #INDEX  DD/MM/YYYY HH:MM  ACTION — ACTOR" followed by detail lines indented by eight
                 spaces; the load client's unique text (starting with --prefix) is in the first detail line of the
                 entry it wrote: a comment's text, a transfer's reason ("→ NAME: TEXT"), an escalation's proposal, a
                 delegation's instruction, an acceptance's note, an opening's title ("giao / to NAME; TITLE").
Then, for the texts of this run:

  missing          acknowledged (201) texts not on the ledger                                  → failure
  duplicates       texts on the ledger more than once                                           → failure
  wrong case       acknowledged texts found under another case than the one they were sent to   → failure
  wrong index      acknowledged texts found at another index than the 201 answer named          → failure
  wrong type       acknowledged texts found on an entry of another action than the one sent     → failure
  stray            texts on the ledger that were never sent (or were refused before sending)    → failure
  after 4xx        texts on the ledger although the server answered 4xx                         → failure
  bad answer       a 201 answer whose case (owner, status) is not what the acknowledged owner-changing action
                   makes it (a transfer, escalation or delegation to X leaves X the owner; accept: processing) → failure
  findings missing a finding listed in a 201 answer whose raise-finding entry is not on that case's ledger at the
                   index the answer gave (the finding's write belongs to the acknowledged request)       → failure
  chain broken     on a mover case (a case of --moves "CODE A B H STATUS UNIT", or one the load opened), an
                   owner-changing entry of this run whose actor is not the owner the entries before it leave (an
                   entry is missing, or the server acted on a projection the ledger does not have)     → failure
  projection       a mover case whose current owner or status (case show's header: the projection) differs
                   from what its entries leave (the initial owner and status from --moves, or the load's opening,
                   then every owner-changing entry of this run on the ledger, acknowledged or not)      → failure
  ack count        --expect-acked N (the 201s the load client counted) differs from the acknowledged
                   requests found on the ledger, or from the lines of the acknowledgement files        → failure
  unknown, there   sent without an answer (reset, timeout) or answered 5xx, yet on the ledger: the append
                   committed and the answer was lost (allowed: the client cannot know; reported)

Prints the counts (and the first offenders) and writes them as JSON to --summary. Exit status: 0 when no failure,
1 on a failure, 2 when a file is missing or a `case show` failed or could not be read. Python 3 standard library only.
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

ENTRY = re.compile(r"^  #(\d+)\s+\d\d/\d\d/\d{4} \d\d:\d\d\s+(.+?) — (.*)$")
DETAIL = re.compile(r"^ {8}(\S.*?)\s*$")
STATUS = re.compile(r"^  trạng thái / status: (.+?)\s*$")
ACCOUNTABLE = re.compile(r"^  người chịu trách nhiệm / accountable: (.+?)\s*$")
# "Name (ID, position, unit)" as `case show` names an official (just "ID" when the organisation does not know them).
OFFICIAL = re.compile(r"^(.*?) \(([^,()]+), ")

# ActionType.nameVi and CaseStatus.nameVi (Sources/BuckStopDomain): how `case show` names actions and statuses.
ACTIONS = {
    "Tiếp nhận": "open", "Phân công": "assign", "Nhận xử lý": "accept", "Chuyển xử lý": "transfer",
    "Trình cấp trên": "escalate", "Giao cấp dưới": "delegate", "Lấy ý kiến": "consult", "Cho ý kiến": "opinion",
    "Yêu cầu bổ sung": "request_supplement", "Nhận bổ sung": "supplement_received", "Xin lỗi, hẹn lại": "reschedule",
    "Gia hạn": "extend", "Từ chối, chuyển thẩm quyền": "decline", "Quyết định": "decide", "Giải quyết xong": "resolve",
    "Đóng hồ sơ": "close", "Mở lại": "reopen", "Ghi chú": "comment", "Đánh giá": "rate", "Phát hiện": "raise_finding",
    "Giải trình": "explain_finding", "Kết luận phát hiện": "review_finding",
}
STATUSES = {"Đã tiếp nhận": "received", "Đang xử lý": "processing", "Chờ bổ sung": "awaiting_supplement",
            "Đã giải quyết": "resolved", "Đã đóng": "closed"}
# What an action of the load does to its case: (moves the owner to its `to`, status afterwards).
EFFECT = {"open": (True, "received"), "transfer": (True, "received"), "escalate": (True, "received"),
          "delegate": (True, "received"), "accept": (False, "processing"), "comment": (False, None)}
# `case show` without a code: "CODE  [kind · status]  …" then the title indented by four spaces.
LISTED = re.compile(r"^(\S+)  \[")
LISTED_TITLE = re.compile(r"^    (\S.*?)\s*$")


class Unreadable(Exception):
    """`case show` printed something this checker cannot read: its format changed."""


def read_jsonl(paths, what):
    rows = []
    for path in paths:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"the {what} file {path} does not exist")
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    # A torn line cannot happen with one write(2) per line: it is an error, never skipped.
                    raise ValueError(f"{path}:{n}: not JSON: {line[:80]!r}") from None
    return rows


def read_moves(path):
    """{code: (A, B, H, initial status)} from lines "CODE A B H STATUS UNIT" ("-" for a line without a case yet)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"the moves file {path} does not exist")
    moves = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            w = line.split()
            if not w:
                continue
            if len(w) < 6:
                raise ValueError(f"{path}:{n}: expected 'CODE A B H STATUS UNIT', found {line.strip()!r}")
            if w[0] != "-":
                moves[w[0]] = (w[1], w[2], w[3], w[4])
    return moves


def official_id(display):
    """The id in `case show`'s "Name (ID, position, unit)", None for "—"."""
    display = display.split(" từ / since ")[0].strip()
    if display in ("—", ""):
        return None
    m = OFFICIAL.match(display)
    return m.group(2).strip() if m else display.split()[0]


def parse_show(code, text, prefix):
    """(status, owner, entries {index: (type, actor, first detail line)}, names {id: name}) of one case."""
    status = owner = None
    entries, names = {}, {}
    current = None
    text_re = re.compile(re.escape(prefix) + r"\S+")
    for line in text.splitlines():
        m = STATUS.match(line)
        if m and status is None:
            if m.group(1) not in STATUSES:
                raise Unreadable(f"case {code}: unknown status name {m.group(1)!r}")
            status = STATUSES[m.group(1)]
            continue
        m = ACCOUNTABLE.match(line)
        if m and owner is None and not entries:
            owner = official_id(m.group(1)) or "-"
            om = OFFICIAL.match(m.group(1))
            if om:
                names[om.group(2).strip()] = om.group(1).strip()
            continue
        m = ENTRY.match(line)
        if m:
            action = ACTIONS.get(m.group(2).strip())
            actor_display = m.group(3).strip()
            om = OFFICIAL.match(actor_display)
            if om:
                names[om.group(2).strip()] = om.group(1).strip()
            current = int(m.group(1))
            entries[current] = {"type": action, "type_name": m.group(2).strip(), "actor": official_id(actor_display),
                                "detail": None, "text": None}
            continue
        m = DETAIL.match(line)
        if m and current is not None:
            detail = m.group(1)
            e = entries[current]
            e["detail"] = detail
            t = text_re.search(detail)
            e["text"] = t.group(0) if t else None
            current = None  # the first detail line only (an owner change adds "giữ / held …")
    if status is None or owner is None:
        raise Unreadable(f"case {code}: no status or accountable line in `case show` (did its format change?)")
    return status, (None if owner == "-" else owner), entries, names


def main():
    p = argparse.ArgumentParser(description="Exactly-once and projection check of the load (see the module docstring).")
    p.add_argument("--bin", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--keys")
    p.add_argument("--prefix", required=True, help="text prefix of this run's requests, e.g. load-RUN-")
    p.add_argument("--acked", action="append", default=[], required=True)
    p.add_argument("--others", action="append", default=[])
    p.add_argument("--moves", help="the mover cases: lines 'CODE A B H STATUS UNIT' (A the owner at the start)")
    p.add_argument("--expect-acked", type=int, help="the 201 answers the load client counted")
    p.add_argument("--cases", nargs="*", default=[])
    p.add_argument("--summary")
    p.add_argument("--show-limit", type=int, default=10, help="offenders listed per kind")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="`case show` processes at a time")
    args = p.parse_args()

    try:
        acked_rows = [r for r in read_jsonl(args.acked, "acknowledgement") if r.get("text", "").startswith(args.prefix)]
        other_rows = [r for r in read_jsonl(args.others, "unacknowledged requests") if r.get("text", "").startswith(args.prefix)]
        moves = read_moves(args.moves) if args.moves else {}
    except (OSError, ValueError) as e:
        print(f"check_ledger: FAILED: {e}", file=sys.stderr)
        return 2
    acked = {}
    acked_twice = []
    for r in acked_rows:
        if r["text"] in acked:
            acked_twice.append(r["text"])
            print(f"check_ledger: {r['text']} acknowledged twice by the load client's file", file=sys.stderr)
        acked[r["text"]] = r
    others = {r["text"]: r for r in other_rows}
    sent = {**others, **acked}

    def show(code):
        cmd = [args.bin, "case", "show"] + ([code] if code else ["--limit", "100000000"]) + ["--db", args.db] \
            + (["--keys", args.keys] if args.keys else [])
        for attempt in range(30):  # a build replacing the binary: "Text file busy" or a moment without it
            try:
                return code, subprocess.run(cmd, capture_output=True, text=True)
            except OSError as e:
                if e.errno not in (errno.ETXTBSY, errno.ENOENT) or attempt == 29:
                    raise
                time.sleep(2)

    # The cases the load opened, by their titles (an opening whose answer was lost has no code in the files).
    opened = set()
    if any(r.get("type") == "open" for r in sent.values()):
        _, proc = show(None)
        if proc.returncode != 0:
            print(f"check_ledger: `buckstop case show` (the list) exited {proc.returncode}:\n{proc.stderr[-2000:]}",
                  file=sys.stderr)
            return 2
        listed = None
        for line in proc.stdout.splitlines():
            m = LISTED.match(line)
            if m:
                listed = m.group(1)
                continue
            m = LISTED_TITLE.match(line)
            if m and listed and args.prefix in m.group(1):
                opened.add(listed)
            listed = None
    cases = sorted(({r.get("case") for r in acked_rows} | {r.get("case") for r in other_rows} | set(moves) | opened
                    | set(args.cases)) - {None})

    found = collections.defaultdict(list)  # text -> [(case, index)]
    shown = {}  # case -> (status, owner, entries, names)
    names = {}
    entries_read = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(show, cases))
    for code, proc in results:
        if proc.returncode != 0:
            print(f"check_ledger: `buckstop case show {code}` exited {proc.returncode}:\n{proc.stderr[-2000:]}",
                  file=sys.stderr)
            return 2
        try:
            status, owner, entries, case_names = parse_show(code, proc.stdout, args.prefix)
        except Unreadable as e:
            print(f"check_ledger: FAILED: {e}", file=sys.stderr)
            return 2
        shown[code] = (status, owner, entries, case_names)
        names.update(case_names)
        entries_read += len(entries)
        for index, e in entries.items():
            if e["text"]:
                if e["type"] is None:
                    print(f"check_ledger: FAILED: case {code} #{index}: unknown action name {e['type_name']!r} in "
                          f"`case show` (did its format change?)", file=sys.stderr)
                    return 2
                found[e["text"]].append((code, index))

    def entry_of(text):
        code, index = found[text][0]
        return shown[code][2][index]

    missing = sorted(t for t in acked if t not in found)
    duplicates = sorted(t for t, where in found.items() if len(where) > 1)
    wrong_case = sorted(t for t, r in acked.items() if t in found and any(c != r["case"] for c, _ in found[t]))
    wrong_index = sorted(
        t for t, r in acked.items()
        if t in found and r.get("index") is not None and all(i != r["index"] for _, i in found[t]))
    wrong_type = sorted(t for t, r in sent.items() if t in found and entry_of(t)["type"] != r.get("type", "comment"))
    stray = sorted(t for t in found if t not in acked and t not in others)
    after_4xx = sorted(t for t in found if t in others and 400 <= (others[t].get("status") or 0) < 500)
    unknown_there = sorted(t for t in found if t in others and t not in after_4xx)
    unknown_sent = len(others)

    # The answers of acknowledged owner changes, and the findings they listed.
    bad_answer, findings_missing = [], []
    findings_listed = 0
    for t, r in sorted(acked.items()):
        kind = r.get("type", "comment")
        moves_owner, status_after = EFFECT.get(kind, (False, None))
        if (moves_owner and r.get("owner") != r.get("to")) or (status_after and r.get("status") != status_after):
            bad_answer.append(t)
        for f in r.get("findings") or []:
            findings_listed += 1
            entries = shown.get(r["case"], (None, None, {}, {}))[2]
            e = entries.get(f.get("raisedIndex"))
            if e is None or e["type"] != "raise_finding":
                findings_missing.append(f"{t}: finding {f.get('id')} ({f.get('detector')}) at #{f.get('raisedIndex')}")

    # Mover cases: follow the owner through this run's entries on the ledger, then hold the projection against it.
    chain_broken, projection, owner_changes = [], [], collections.Counter()
    movers = sorted(set(moves) | opened)
    for code in movers:
        status, owner, entries, _ = shown[code]
        expect_owner, expect_status = (moves[code][0], moves[code][3]) if code in moves else (None, None)
        for index in sorted(entries):
            e = entries[index]
            r = sent.get(e["text"]) if e["text"] else None
            if r is None or r.get("case") not in (code, None):
                continue
            kind = e["type"]
            moves_owner, status_after = EFFECT.get(kind, (False, None))
            if kind == "comment":
                continue
            owner_changes[kind] += 1
            if kind != "open" and e["actor"] != expect_owner:
                chain_broken.append(f"{code} #{index} {kind} by {e['actor']}, but the entries before it leave "
                                    f"{expect_owner} holding the case")
            to = r.get("to")
            if moves_owner:
                name = names.get(to)
                if name and kind != "open" and not e["detail"].startswith(f"→ {name}"):
                    chain_broken.append(f"{code} #{index} {kind}: sent to {to} ({name}), the entry says {e['detail']!r}")
                expect_owner = to
            if status_after:
                expect_status = status_after
        if (owner, status) != (expect_owner, expect_status):
            projection.append(f"{code}: the projection says owner {owner}, status {status}; its entries leave "
                              f"owner {expect_owner}, status {expect_status}")

    found_acked = len(acked) - len(missing)
    ack_count = []
    if args.expect_acked is not None:
        if args.expect_acked != len(acked_rows):
            ack_count.append(f"the load client counted {args.expect_acked} acknowledged requests, its files hold "
                             f"{len(acked_rows)}")
        if args.expect_acked != found_acked:
            ack_count.append(f"the load client counted {args.expect_acked} acknowledged requests, {found_acked} are on "
                             f"the ledger")

    result = {
        "cases": len(cases),
        "entries_read": entries_read,
        "acked": len(acked),
        "expected_acked": args.expect_acked if args.expect_acked is not None else "-",
        "found_acked": found_acked,
        "found_total": len(found),
        "missing": len(missing),
        "duplicates": len(duplicates),
        "wrong_case": len(wrong_case),
        "wrong_index": len(wrong_index),
        "wrong_type": len(wrong_type),
        "stray": len(stray),
        "after_4xx": len(after_4xx),
        "acked_twice": len(acked_twice),
        "acked_moves": sum(1 for r in acked.values() if r.get("type", "comment") not in ("comment", "open")),
        "acked_opens": sum(1 for r in acked.values() if r.get("type") == "open"),
        "bad_answer": len(bad_answer),
        "findings_listed": findings_listed,
        "findings_missing": len(findings_missing),
        "mover_cases": len(movers),
        "opened_cases": len(opened),
        "owner_changes_on_ledger": sum(owner_changes.values()),
        "chain_broken": len(chain_broken),
        "projection_mismatch": len(projection),
        "ack_count_mismatch": len(ack_count),
        "unacked_sent": unknown_sent,
        "unacked_on_ledger": len(unknown_there),
    }
    failed = any(result[k] for k in ("missing", "duplicates", "wrong_case", "wrong_index", "wrong_type", "stray",
                                     "after_4xx", "acked_twice", "bad_answer", "findings_missing", "chain_broken",
                                     "projection_mismatch", "ack_count_mismatch"))
    result["ok"] = not failed
    print("CHECK " + " ".join(f"{k}={v}" for k, v in result.items()))
    if owner_changes:
        print("  openings and owner-changing entries of this run on the mover cases: "
              + ", ".join(f"{k} {v}" for k, v in sorted(owner_changes.items())))
    lim = args.show_limit
    for name, items in (("missing", missing), ("duplicate", duplicates), ("wrong case", wrong_case),
                        ("wrong index", wrong_index), ("wrong type", wrong_type), ("stray", stray),
                        ("on the ledger after 4xx", after_4xx), ("bad answer", bad_answer)):
        for t in items[:lim]:
            detail = {"sent": acked.get(t) or others.get(t), "ledger": found.get(t)}
            print(f"  {name}: {t} {json.dumps(detail, ensure_ascii=False)}")
        if len(items) > lim:
            print(f"  … {len(items) - lim} more {name}")
    for name, items in (("finding missing", findings_missing), ("chain broken", chain_broken),
                        ("projection differs", projection), ("ack count", ack_count)):
        for line in items[:lim]:
            print(f"  {name}: {line}")
        if len(items) > lim:
            print(f"  … {len(items) - lim} more {name}")
    if unknown_there:
        print(f"  note: {len(unknown_there)} of {unknown_sent} requests without a 201 are on the ledger (committed, "
              f"answer lost or 5xx): allowed")
    if args.summary:
        result.update(missing_texts=missing[:100], duplicate_texts=duplicates[:100], stray_texts=stray[:100],
                      problems=(chain_broken + projection + findings_missing + ack_count)[:100])
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
