#!/usr/bin/env python3
"""Seed corpora for the libFuzzer targets (Scripts/fuzz.sh), from the shared event logs and a demo ledger.

    fuzz_seeds.py CORPUS_DIR SHARED_EVENTLOGS_DIR DEMO_SQLITE ORG_YAML RULEBOOK_YAML

Writes CORPUS_DIR/<Target>/seed-* files; nothing here is committed (CORPUS_DIR lies in the build folder).
"""
import gzip
import os
import re
import sqlite3
import sys


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def small_xes(path, traces=3, limit=64 * 1024):
    """The log's head up to its first `traces` traces, closed again: well-formed XES of a few KB."""
    with gzip.open(path, "rb") as f:
        head = f.read(4 << 20)
    end, found = 0, 0
    for m in re.finditer(rb"</trace>", head):
        end, found = m.end(), found + 1
        if found == traces or end > limit:
            break
    if end == 0:
        return head[:limit]
    return head[:end] + b"\n</log>\n"


def csv_from_xes(xes):
    """case,activity,time,owner rows from the events of a small XES (the names fuzz_csv expects)."""
    rows = ["case,activity,time,owner"]
    for i, trace in enumerate(re.findall(rb"<trace>(.*?)</trace>", xes, re.S)):
        for event in re.findall(rb"<event>(.*?)</event>", trace, re.S):
            attrs = dict(re.findall(rb'key="([^"]+)"\s+value="([^"]*)"', event))
            activity = attrs.get(b"concept:name", b"").decode("utf-8", "replace").replace('"', '""')
            time = attrs.get(b"time:timestamp", b"").decode()
            owner = attrs.get(b"org:resource", b"").decode("utf-8", "replace").replace('"', '""')
            rows.append(f'c{i},"{activity}",{time},"{owner}"')
    return ("\n".join(rows) + "\n").encode()


def main():
    corpus, logs, demo, org_yaml, rulebook_yaml = sys.argv[1:6]
    for name in sorted(os.listdir(logs)):
        if not name.endswith(".xes.gz"):
            continue
        xes = small_xes(os.path.join(logs, name))
        stem = name.split(".")[0]
        write(f"{corpus}/FuzzXES", f"seed-{stem}.xes", xes)
        csv = csv_from_xes(xes)
        write(f"{corpus}/FuzzCSV", f"seed-{stem}.csv", csv)
        write(f"{corpus}/FuzzGzip", f"seed-{stem}.xes.gz", gzip.compress(xes))
        write(f"{corpus}/FuzzGzip", f"seed-{stem}.csv.gz", gzip.compress(csv))
    db = sqlite3.connect(demo)
    for idx, body in db.execute("SELECT idx, body FROM ledger_entry ORDER BY idx LIMIT 400"):
        write(f"{corpus}/FuzzEntryCodec", f"seed-{idx}", bytes(body))
        write(f"{corpus}/FuzzCanonicalJSON", f"seed-{idx}", bytes(body))
    import base64
    for size, origin, root, timestamp in db.execute("SELECT size, origin, root, timestamp FROM checkpoint LIMIT 20"):
        body = f"{origin}\n{size}\n{base64.b64encode(bytes(root)).decode()}\n{timestamp}\n".encode()
        write(f"{corpus}/FuzzCheckpoint", f"seed-{size}", body)
    with open(org_yaml, "rb") as f:
        write(f"{corpus}/FuzzOrganizationYAML", "seed-demo-org.yaml", f.read())
    with open(rulebook_yaml, "rb") as f:
        text = f.read()
    write(f"{corpus}/FuzzRulebookYAML", "seed-rulebook.yaml", text)
    # A smaller rulebook keeps the fuzzer's inputs short: the header, the first rules, the thresholds.
    lines = text.split(b"\n")
    write(f"{corpus}/FuzzRulebookYAML", "seed-rulebook-head.yaml", b"\n".join(lines[:60]))
    api = [
        b'{"type":"escalate","actor":"cv-an","to":"tp-hcbt","proposal":"De xuat"}',
        b'{"type":"consult","units":["stp"],"question":"?","dueDate":"2026-01-05"}',
        b'{"type":"request_supplement","missing":["CCCD","To khai"]}',
        b'{"kind":"dossier","title":"Cap phieu","leadUnit":"stp","owner":"cv-an","applicant":{"fullName":"A B","phone":"0905"}}',
        b'{"text":"Giai trinh"}',
        b'{"uphold":true,"note":"Dung"}',
    ]
    for i, body in enumerate(api):
        write(f"{corpus}/FuzzAPIRequests", f"seed-{i}.json", body)


if __name__ == "__main__":
    main()
