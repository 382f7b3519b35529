#!/usr/bin/env python3
"""Render one host's etcd log as its collector got it, from the record
stamp.py wrote (arrival time + line; \\x01 markers from hosts.sh for starts,
pids, stop requests, exits, supervisor restarts and lost hosts).

usage: renderlog.py RECORD file|journal|syslog|pods DEST LOGPATH HOST DESCRIPTION POD UID

  file     DEST/LOGPATH: the lines as etcd printed them, every start appended
           (stdout+stderr redirected to a file)
  journal  DEST/LOGPATH: what `journalctl -u etcd` prints: "Mon DD HH:MM:SS
           HOST etcd[PID]: line", with the unit's own lines from systemd[1]
           (Starting/Started/Stopping/Stopped, exits, scheduled restarts) in
           systemd 252's wording; "-- Boot ID --" when a lost host came back
  syslog   DEST/LOGPATH: the same lines as rsyslog writes them to /var/log/syslog
           ("Mon  D HH:MM:SS HOST etcd[PID]: line", no boot markers)
  pods     DEST/var/log/pods/kube-system_POD_UID/etcd/N.log, one file per
           container start (N = restart count), CRI format
           "RFC3339Nano stderr F line" as kubelet writes it
"""
import datetime
import hashlib
import os
import sys


def read_record(path):
    events = []  # (time, kind, payload); kind "line" or "mark"
    with open(path, "rb") as fh:
        for raw in fh:
            stamp, _, text = raw.rstrip(b"\n").partition(b"\t")
            t = float(stamp)
            text = text.decode("utf-8", "replace")
            if text.startswith("\x01"):
                events.append((t, "mark", text[1:]))
            else:
                events.append((t, "line", text))
    return events


def utc(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


def journal(events, host, desc, syslog=False):
    pids = {}
    for _t, kind, text in events:
        if kind == "mark" and text.startswith("pid "):
            _, run, pid = text.split()
            pids[int(run)] = pid
    unit = "etcd.service"
    out = []
    run, pid, stopping, ready, lost, failed = 0, "?", False, False, False, False

    def put(t, who, msg):
        stamp = utc(t).strftime("%b %e %H:%M:%S" if syslog else "%b %d %H:%M:%S")
        out.append("%s %s %s: %s" % (stamp, host, who, msg))

    for t, kind, text in events:
        if kind == "line":
            if lost:
                continue
            put(t, "etcd[%s]" % pid, text)
            # etcd notifies systemd when it serves clients (etcdmain, after
            # ReadyNotify); capnslog says "ready to serve client requests",
            # zap "serving client traffic ..." (embed/serve.go)
            if not ready and ("ready to serve client requests" in text
                              or '"msg":"serving client traffic' in text):
                ready = True
                put(t, "systemd[1]", "Started %s - %s." % (unit, desc))
            continue
        word, _, rest = text.partition(" ")
        if word == "start":
            if lost and not syslog:
                boot = hashlib.md5(("%s %f" % (host, t)).encode()).hexdigest()
                out.append("-- Boot %s --" % boot)
            run = int(rest)
            pid, stopping, ready, lost, failed = pids.get(run, "?"), False, False, False, False
            put(t, "systemd[1]", "Starting %s - %s..." % (unit, desc))
        elif word == "stopreq":
            stopping = True
            put(t, "systemd[1]", "Stopping %s - %s..." % (unit, desc))
        elif word == "hostlost":
            lost = True
        elif word == "restart":
            put(t, "systemd[1]", "%s: Scheduled restart job, restart counter is at %s." % (unit, rest))
            put(t, "systemd[1]", "Stopped %s - %s." % (unit, desc))
        elif word == "exit" and not lost:
            if stopping or rest == "0":
                put(t, "systemd[1]", "%s: Deactivated successfully." % unit)
                if stopping:
                    put(t, "systemd[1]", "Stopped %s - %s." % (unit, desc))
                continue
            if rest.startswith("signal "):
                sig = rest.split()[1]
                num = {"SIGKILL": 9, "SIGABRT": 6, "SIGSEGV": 11, "SIGTERM": 15}.get(sig, 0)
                put(t, "systemd[1]", "%s: Main process exited, code=killed, status=%d/%s"
                    % (unit, num, sig[3:]))
                put(t, "systemd[1]", "%s: Failed with result 'signal'." % unit)
            else:
                put(t, "systemd[1]", "%s: Main process exited, code=exited, status=%s/%s"
                    % (unit, rest, "FAILURE"))
                put(t, "systemd[1]", "%s: Failed with result 'exit-code'." % unit)
            if not ready:
                put(t, "systemd[1]", "Failed to start %s - %s." % (unit, desc))
            failed = True
    return "\n".join(out) + "\n" if out else ""


def main():
    rec, mode, dest, logpath, host, desc, pod, uid = sys.argv[1:9]
    events = read_record(rec)
    if mode == "file":
        path = os.path.join(dest, logpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.writelines(text + "\n" for _t, kind, text in events if kind == "line")
    elif mode in ("journal", "syslog"):
        path = os.path.join(dest, logpath)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as fh:
            fh.write(journal(events, host, desc, mode == "syslog"))
    elif mode == "pods":
        base = os.path.join(dest, "var/log/pods", "kube-system_%s_%s" % (pod, uid), "etcd")
        os.makedirs(base, exist_ok=True)
        run, fh = 0, None
        for t, kind, text in events:
            if kind == "mark" and text.startswith("start "):
                run = int(text.split()[1])
                if fh:
                    fh.close()
                fh = open(os.path.join(base, "%d.log" % (run - 1)), "w")
            elif kind == "line" and fh:
                ts = utc(t).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"
                fh.write("%s stderr F %s\n" % (ts, text))
        if fh:
            fh.close()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
