#!/usr/bin/env python3
"""Run a command and record each line it prints (stdout and stderr) with its
arrival time, as journald or kubelet would.

usage: stamp.py RECORD PIDFILE -- CMD [ARG...]
RECORD gets "<unix time>\t<line>" per line and, when CMD has ended and its
output is drained, "<unix time>\t\x01exit <status>" (status: exit code, or
"signal <NAME>").  PIDFILE gets CMD's pid at once (hosts.sh signals it).
hosts.sh renders the plain, journal and CRI copies of a log from RECORD.
"""
import os
import signal
import subprocess
import sys
import time

rec, pidfile, sep, *cmd = sys.argv[1:]
if sep != "--" or not cmd:
    sys.exit(__doc__)
signal.signal(signal.SIGINT, signal.SIG_IGN)
with open(rec, "ab", buffering=0) as out:
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    with open(pidfile + ".part", "w") as fh:
        fh.write("%d\n" % p.pid)
    os.rename(pidfile + ".part", pidfile)
    for line in p.stdout:
        if not line.endswith(b"\n"):
            line += b"\n"
        out.write(b"%.6f\t%s" % (time.time(), line))
    rc = p.wait()
    status = ("signal %s" % signal.Signals(-rc).name) if rc < 0 else str(rc)
    out.write(b"%.6f\t\x01exit %s\n" % (time.time(), status.encode()))
