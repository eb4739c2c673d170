#!/usr/bin/env python3
"""Trims a run's samples.jsonl to what the analyzer's delegation checks need.

usage: trim_stream.py RUN_DIR/samples.jsonl OUT.jsonl [EVERY_NTH_SAMPLE]

Kept verbatim: scheduler_attached, scheduler_exited, churn, phase, result,
workload_done (the probe's output is checked), and qmap `hier` and `EXIT:`
lines (scheduler_output; an EXIT line is the kernel disabling that qmap). Samples: every Nth (default 2),
plus every sample while a churn op is open (begin..end) and the last one;
their `events` text is cut to the SCX_EV_SUB_RESCUE and INSERT_NOT_OWNED
lines. Logs and other qmap output are dropped.
"""
import json
import sys

src, dst = sys.argv[1], sys.argv[2]
every = int(sys.argv[3]) if len(sys.argv) > 3 else 2
KEEP = {"scheduler_attached", "scheduler_exited", "churn", "phase", "result", "workload_done"}
EVENTS = ("SCX_EV_SUB_RESCUE ", "SCX_EV_INSERT_NOT_OWNED ")

lines = [json.loads(l) for l in open(src) if l.strip().startswith("{")]
samples = [m for m in lines if m.get("type") == "sample"]
last_seq = samples[-1]["seq"] if samples else -1
out, open_ops = [], 0
for m in lines:
    t = m.get("type")
    if t == "churn":
        open_ops += 1 if m.get("stage") == "begin" else (-1 if m.get("stage") == "end" else 0)
    if t in KEEP:
        out.append(m)
    elif t == "scheduler_output" and m.get("line", "").startswith(("hier", "EXIT: ")):
        out.append(m)
    elif t == "sample" and (m["seq"] % every == 0 or open_ops > 0 or m["seq"] == last_seq):
        for s in m.get("schedulers", []):
            s["events"] = "".join(l + "\n" for l in s.get("events", "").splitlines()
                                  if l.startswith(EVENTS))
        out.append(m)
with open(dst, "w") as f:
    for m in out:
        f.write(json.dumps(m, separators=(",", ":")) + "\n")
