#!/usr/bin/env python3
"""PM4Py half of the BuckStop benchmark (driven by Scripts/bench-pm4py.sh).

Measures, with time.perf_counter, on one uncompressed .xes file:
  read_s            pm4py.read_xes(FILE)  (pm4py 2.7: returns a pandas DataFrame)
  handover_s        pm4py.discover_handover_of_work_network(df)
  subcontracting_s  pm4py.discover_subcontracting_network(df)
  dfg_s             pm4py.discover_dfg(df)
and prints one JSON line:
  {"file","read_s","handover_s","subcontracting_s","dfg_s","total_s","events","cases",
   "pm4py","xes_parser","error"?}
A step that raises is reported in "error" (its time is still recorded) and the
run goes on. The exit status is 0 unless the file cannot be read.

Usage: python pm4py_bench.py FILE.xes   (run inside the venv that has pm4py 2.7)
"""
import json
import os
import sys
import time

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")  # no tqdm output on stderr
import pm4py  # noqa: E402
from pm4py.util import constants  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    err = None
    try:
        fn()
    except Exception as e:  # e.g. handover on bpic2012 (events without org:resource)
        err = f"{type(e).__name__}: {e}"
    return round(time.perf_counter() - t0, 4), err


def main(path):
    res = {"file": os.path.basename(path), "pm4py": pm4py.__version__,
           "xes_parser": constants.DEFAULT_XES_PARSER}
    box = {}
    res["read_s"], err = timed(lambda: box.setdefault("df", pm4py.read_xes(path)))
    if err:
        res["error"] = "read: " + err
        print(json.dumps(res), flush=True)
        return 1
    df = box["df"]
    res["events"] = int(len(df))
    res["cases"] = int(df["case:concept:name"].nunique())
    errors = []
    for key, fn in [("handover_s", pm4py.discover_handover_of_work_network),
                    ("subcontracting_s", pm4py.discover_subcontracting_network),
                    ("dfg_s", pm4py.discover_dfg)]:
        res[key], err = timed(lambda: fn(df))
        if err:
            errors.append(f"{key[:-2]}: {err}")
    res["total_s"] = round(sum(res[k] for k in
                               ("read_s", "handover_s", "subcontracting_s", "dfg_s")), 4)
    if errors:
        res["error"] = "; ".join(errors)
    print(json.dumps(res), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
