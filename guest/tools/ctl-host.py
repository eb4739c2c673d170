#!/usr/bin/env python3
"""Dev tool: the host end of the control port, for booting the agent by hand.

usage: ctl-host.py SOCKET PLAN.json OUT.jsonl
Connects to QEMU's `-chardev socket,path=SOCKET,server=on` (retrying until
QEMU is up), waits for the agent's hello, sends {"type":"run","plan":PLAN},
and writes every line the agent sends to OUT.jsonl (verbatim) until "bye"
or EOF. Prints a one-line summary of each message type on stderr.
"""
import json
import socket
import sys
import time


def main():
    sock_path, plan_path, out_path = sys.argv[1:4]
    plan = json.load(open(plan_path))
    t0 = time.monotonic()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    while True:
        try:
            s.connect(sock_path)
            break
        except OSError:
            if time.monotonic() - t0 > 60:
                raise
            time.sleep(0.05)
    print(f"[host +{time.monotonic() - t0:7.3f}] connected", file=sys.stderr)
    buf = b""
    with open(out_path, "wb") as out:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                print(f"[host +{time.monotonic() - t0:7.3f}] EOF", file=sys.stderr)
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                out.write(line + b"\n")
                out.flush()
                try:
                    msg = json.loads(line)
                except ValueError:
                    print(f"garbage line: {line[:200]!r}", file=sys.stderr)
                    continue
                kind = msg.get("type")
                stamp = f"[host +{time.monotonic() - t0:7.3f}]"
                if kind == "hello":
                    print(stamp, "hello", msg, file=sys.stderr)
                    s.sendall(json.dumps({"type": "run", "plan": plan}).encode() + b"\n")
                elif kind in ("sample", "scheduler_output"):
                    pass
                else:
                    print(stamp, json.dumps(msg)[:300], file=sys.stderr)
                if kind == "bye":
                    return


if __name__ == "__main__":
    main()
