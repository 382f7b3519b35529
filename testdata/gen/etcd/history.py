#!/usr/bin/env python3
"""Facts and timeline of a generated scenario (history and operator scenarios).

Reads the hosts' log records (stamp.py: arrival time + line, \\x01 markers)
and the bundle tree as staged (data dirs through etcdinspect.py), and prints
the README parts that come from the run itself.

usage:
  history.py facts CONFIG.json         facts + timeline text for the README
  history.py first RECORD REGEX [AFTER] unix time of the first matching line
                                        (after time AFTER), or nothing
  history.py last RECORD REGEX          unix time of the last matching line
  history.py count RECORD REGEX [AFTER] number of matching lines (after AFTER)
  history.py grep RECORD REGEX [N [AFTER [UNTIL]]]  the first N (default 1)
                                        matching lines (after AFTER, up to UNTIL)
  history.py wal WALDIR                 JSON: WAL summary (etcdinspect.read_wal, with
                                        the offset of each record whose CRC fails)
  history.py keys DB                    JSON: {key: mod_revision} of the backend

CONFIG.json: {"scenario", "stage", "ops" (file of "unix time\\ttext" operator
actions), "nodes": [{"name", "host", "dest", "record", "ip", "purl", "curl",
"conf", "logger", "logout", "logpath", "data"}]}.
"""
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import etcdinspect as ei  # noqa: E402


def records(path):
    out = []
    with open(path, "rb") as fh:
        for raw in fh:
            stamp, _, text = raw.rstrip(b"\n").partition(b"\t")
            out.append((float(stamp), text.decode("utf-8", "replace")))
    return out


def hms(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3]


def day(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d")


# ------------------------------------------------------------------ timeline
def zmsg(text):
    """(message, fields) of a zap JSON line, or (text, {}) for capnslog."""
    if text.startswith("{"):
        try:
            js = json.loads(text)
            return js.get("msg", ""), js
        except ValueError:
            pass
    return text, {}


EVENTS = [
    # (key, regex on the message, description template using groups / zap fields)
    ("leader", r"([0-9a-f]+) became leader at term (\d+)", "became leader at term {2}"),
    ("cand", r"([0-9a-f]+) became candidate at term (\d+)", "became candidate at term {2}"),
    ("precand", r"([0-9a-f]+) became pre-candidate at term (\d+)", "became pre-candidate at term {2}"),
    ("lost", r"lost leader ([0-9a-f]+) at term (\d+)", "lost leader {1} at term {2}"),
    ("elected", r"elected leader ([0-9a-f]+) at term (\d+)", "follows leader {1} at term {2}"),
    ("stepdown", r"stepped down to follower since quorum is not active", "stepped down: quorum not active"),
    ("inactive", r"peer ([0-9a-f]+) became inactive|peer became inactive", "peer {1|peer-id} became inactive"),
    ("active", r"peer ([0-9a-f]+) became active|peer became active", "peer {1|peer-id} became active"),
    ("sigterm", r"received terminated signal|received (\w+) signal", "received SIGTERM, shutting down"),
    ("transfer", r"starts leadership transfer from|leadership transfer starting", "leadership transfer starts"),
    ("transferred", r"finished leadership transfer from|leadership transfer finished", "leadership transfer finished"),
    ("ready", r"ready to serve client requests|^serving client traffic", "ready to serve client requests"),
    ("startmember", r"(?<!re)starting member ([0-9a-f]+) in cluster ([0-9a-f]+)|starting an etcd server",
     "starting (new member)"),
    ("restartmember", r"restarting member ([0-9a-f]+) in cluster ([0-9a-f]+) at commit index (\d+)|restarting local member",
     "restarting member at commit index {3|commit-index}"),
    ("force", r"forcing restart of member|force-new-cluster|force new cluster", "force-new-cluster"),
    ("heartbeat", r"failed to send out heartbeat on time|leader failed to send out heartbeat",
     "late heartbeat (exceeded {exceeded-duration|exceeded})"),
    ("mismatch", r"cluster ID mismatch", "cluster ID mismatch"),
    ("removed", r"permanently removed from the cluster", "member permanently removed from the cluster"),
    ("added", r"added member ([0-9a-f]+)|added member", "applied: added member {1|added-peer-id}"),
    ("removedm", r"removed member ([0-9a-f]+)|removed member", "applied: removed member {1|removed-remote-peer-id}"),
    ("promoted", r"promote member|promoted a member", "applied: promoted learner"),
    ("fatal", r"^\S+ \S+ C \| |\"level\":\"fatal\"|^panic: |\"level\":\"panic\"", "FATAL: {text}"),
    ("prober", r"prober detected unhealthy status", "prober: peer unhealthy"),
    ("dial", r"failed to dial ([0-9a-f]+) on stream|failed to dial remote peer", "cannot dial peer"),
]
EVENTS = [(k, re.compile(r), d) for k, r, d in EVENTS]
CONDENSE = {"cand", "precand", "heartbeat", "mismatch", "prober", "dial", "elected", "inactive", "active",
            "added"}


def describe(key, desc, m, fields, text):
    def field(spec):
        for alt in spec.split("|"):
            if alt.isdigit():
                g = m.group(int(alt)) if m.lastindex and int(alt) <= m.lastindex else None
                if g:
                    return g
            elif alt == "text":
                return text.strip()[:200]
            elif alt == "exceeded":
                mm = re.search(r"exceeded the \S+ timeout for ([\d.]+\w+)", text)
                if mm:
                    return mm.group(1)
            elif alt in fields:
                return str(fields[alt])
        return "?"
    return re.sub(r"\{([^}]+)\}", lambda mm: field(mm.group(1)), desc)


def node_records(node):
    """The record of a host up to its collection (what its bundle can show);
    the whole record for a host that was never collected."""
    cut = float(node["collected"]) if node.get("collected") else None
    return [(t, text) for t, text in records(node["record"]) if cut is None or t <= cut]


def node_events(node):
    """[(time, node, key, description)] from one record."""
    out = []
    run = 0
    for t, text in node_records(node):
        if text.startswith("\x01"):
            word, _, rest = text[1:].partition(" ")
            if word == "start":
                run = int(rest)
                out.append((t, node["name"], "run", "etcd started (start #%d)" % run))
            elif word == "exit":
                out.append((t, node["name"], "exit", "etcd exited (status %s)" % rest))
            elif word == "hostlost":
                out.append((t, node["name"], "hostlost", "HOST LOST: etcd killed with SIGKILL"))
            elif word == "stopreq":
                out.append((t, node["name"], "stopreq", "SIG%s sent (systemctl stop)" % rest))
            elif word == "restart":
                out.append((t, node["name"], "restart", "supervisor restarts etcd (attempt %s)" % rest))
            continue
        msgtext, fields = zmsg(text)
        for key, rx, desc in EVENTS:
            m = rx.search(msgtext) or (rx.search(text) if key == "fatal" else None)
            if not m:
                continue
            if key == "sigterm" and "terminated" not in text:
                continue
            out.append((t, node["name"], key, describe(key, desc, m, fields, text)))
            break
    return out


def condense(events):
    """Merge runs of the same condensable event of one node."""
    out = []
    for ev in events:
        t, n, key, desc = ev
        if out and key in CONDENSE:
            # the previous event of this node
            for i in range(len(out) - 1, -1, -1):
                if out[i][1] == n:
                    break
            else:
                i = None
            if i is not None and out[i][2] == key:
                pt, pn, pk, pdesc, cnt, last, lastdesc = out[i]
                out[i] = (pt, pn, pk, pdesc, cnt + 1, t, desc)
                continue
        out.append((t, n, key, desc, 1, t, desc))
    return out


def timeline(cfg):
    events = []
    for node in cfg["nodes"]:
        events.extend(node_events(node))
    ops = []
    cuts = [float(n["collected"]) for n in cfg["nodes"] if n.get("collected")]
    if cfg.get("ops") and os.path.exists(cfg["ops"]):
        for line in open(cfg["ops"]):
            t, _, text = line.rstrip("\n").partition("\t")
            if not cuts or float(t) <= max(cuts):
                ops.append((float(t), "operator", "op", text))
    events.sort(key=lambda e: e[0])
    rows = condense(events)
    rows += [(t, n, k, d, 1, t, d) for t, n, k, d in ops]
    rows.sort(key=lambda r: r[0])
    width = max([len(n["name"]) for n in cfg["nodes"]] + [8])
    absent = {n["name"] for n in cfg["nodes"] if not n.get("collected")}
    lines = []
    for t, n, key, desc, cnt, last, lastdesc in rows:
        if cnt > 1:
            if lastdesc != desc:
                desc = "%s .. %s (%d lines, last %s)" % (desc, lastdesc.split(" ")[-1] if key in ("cand", "precand") else lastdesc, cnt, hms(last))
            else:
                desc = "%s (%d lines, last %s)" % (desc, cnt, hms(last))
        if n in absent:
            n += "*"
        lines.append("  %s  %-*s  %s" % (hms(t), width + 1, n, desc))
    return lines


# ------------------------------------------------------------------ data
def backend_keys(path):
    """{key: (mod_revision, value)} of the live keys in a backend (no tombstones)."""
    db = ei.Bolt(path)
    out = {}
    for _fl, k, v in db.bucket(b"key") or []:
        if len(k) == 18 and k[17:] == b"t":
            continue
        kv = ei.msg(v)
        key = ei.one(kv, 1, b"").decode("utf-8", "replace")
        out[key] = (ei.one(kv, 3), ei.one(kv, 5, b"").decode("utf-8", "replace"))
    return out


def member_dirs(root):
    """Every etcd member dir (holding wal/ or snap/) under a host's bundle dir."""
    out = []
    for dirpath, dirnames, _files in os.walk(root):
        if "wal" in dirnames or "snap" in dirnames:
            if os.path.basename(dirpath).startswith("member") or "member" in dirpath:
                out.append(dirpath)
                dirnames[:] = []
    return sorted(out)


CAPNS_LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ([WEC]) \| (.*)$")
LEVELS = {"W": "warn", "E": "error", "C": "fatal"}


def warnings(node):
    """[(count, level, message)] of the warn/error/fatal lines of a host's log,
    most frequent first; ids, numbers and addresses folded into #."""
    counts = {}
    for _t, text in node_records(node):
        level = msgtext = None
        if text.startswith("{"):
            try:
                js = json.loads(text)
            except ValueError:
                continue
            if js.get("level") in ("warn", "error", "fatal", "panic"):
                level, msgtext = js["level"], js.get("msg", "")
        else:
            m = CAPNS_LEVEL.match(text)
            if m:
                level, msgtext = LEVELS[m.group(1)], m.group(2)
            elif text.startswith("panic: "):
                level, msgtext = "panic", text
        if not level:
            continue
        msgtext = re.sub(r"\b[0-9a-f]{12,16}\b|[0-9][0-9.:]*(?:[a-zµ]*s)?", "#", msgtext)
        key = (level, msgtext)
        counts[key] = counts.get(key, 0) + 1
    return sorted(((c, lv, m) for (lv, m), c in counts.items()), key=lambda x: (-x[0], x[2]))


def hexid(v):
    return "%x" % v


def facts(cfg):
    stage = cfg["stage"]
    names = {}
    w = []
    for node in cfg["nodes"]:
        root = os.path.join(stage, node["dest"])
        for md in member_dirs(root):
            wal = ei.read_wal(os.path.join(md, "wal"))
            if wal and wal["metadata"]:
                names.setdefault(hexid(wal["metadata"]["member_id"]), node["name"])

    # ids a member's own log gives itself (members re-added under new ids, or
    # without a data dir in the bundle)
    own = re.compile(r"(?:re)?starting member ([0-9a-f]+) in cluster|\"local-member-id\":\"([0-9a-f]+)\"")
    for node in cfg["nodes"]:
        run_seen = set()
        run = 0
        for _t, text in records(node["record"]):
            if text.startswith("\x01start "):
                run += 1
                continue
            if run in run_seen:
                continue
            m = own.search(text)
            if m:
                names.setdefault(m.group(1) or m.group(2), node["name"])
                run_seen.add(run)

    def nm(h):
        return "%s (%s)" % (h, names[h]) if h in names else h

    for node in cfg["nodes"]:
        root = os.path.join(stage, node["dest"])
        w.append("")
        if not node.get("collected"):
            w.append("%s  (host %s): NOT IN THE BUNDLE (never collected; what follows is the"
                     % (node["name"], node["host"]))
            w.append("  generator's own record of the run, for reference)")
        else:
            w.append("%s  (host %s; bundle path %s; collected %s)"
                     % (node["name"], node["host"], node["dest"] or ".", hms(float(node["collected"]))))
        w.append("  addresses: listen %s (peer) %s (client); advertised peer %s, client %s"
                 % ("%s:%s" % (node["ip"], node["pport"]), "%s:%s" % (node["ip"], node["cport"]),
                    node["purl"], node["curl"]))
        w.append("  configuration: %s; logger %s; log as collected: %s"
                 % (", ".join(node["conf_files"]) or "(none)", node["logger"], node["logdesc"]))
        w.append("  data dir (configured): %s" % node["data"])
        dirs = member_dirs(root)
        if not dirs:
            w.append("  no member dir in the bundle")
        for md in dirs:
            rel = os.path.relpath(md, stage)
            wal = ei.read_wal(os.path.join(md, "wal"))
            w.append("  %s:" % rel)
            if not wal:
                w.append("    no WAL")
            else:
                meta = wal["metadata"] or {}
                if meta:
                    w.append("    WAL metadata: member %s, cluster %s"
                             % (nm(hexid(meta["member_id"])), hexid(meta["cluster_id"])))
                hs = wal["hardstate"]
                if hs:
                    w.append("    last HardState: term %d, vote %s, commit %d"
                             % (hs["term"], nm(hexid(hs["vote"])) if hs["vote"] else "none", hs["commit"]))
                w.append("    entries %s..%s, last entry term %s; %d records%s; files %s"
                         % (wal["first_index"], wal["last_index"], wal["last_term"], wal["records"],
                            "" if not wal["crc_errors"] else " (%d CRC ERRORS)" % wal["crc_errors"],
                            ", ".join(f["name"] for f in wal["files"])))
                for bad in wal["crc_bad"]:
                    w.append("    CRC MISMATCH: %s record at offset %d (8-byte length prefix, record"
                             " bytes from %d; type %d%s): stored %s, computed %s"
                             % (bad["file"], bad["offset"], bad["offset"] + 8, bad["type"],
                                ", entry index %d term %d" % (bad["index"], bad["term"]) if "index" in bad else "",
                                bad["stored_crc"], bad["computed_crc"]))
                if wal["snapshots"] and any(s["index"] for s in wal["snapshots"]):
                    w.append("    WAL snapshot records (index/term): %s"
                             % ", ".join("%d/%d" % (s["index"], s["term"]) for s in wal["snapshots"]))
                for cc in wal["conf_changes"]:
                    w.append("    conf change at index %d (term %d): %s %s"
                             % (cc["index"], cc["term"], cc["type"], nm(cc["node_id"])))
            for s in ei.read_snaps(os.path.join(md, "snap")):
                w.append("    snap %s: index %d term %d voters [%s] learners [%s]"
                         % (s["name"], s["index"], s["term"], " ".join(map(nm, s["voters"])),
                            " ".join(map(nm, s["learners"]))))
            dbp = os.path.join(md, "snap", "db")
            if os.path.exists(dbp):
                db = ei.read_db(dbp)
                keys = backend_keys(dbp)
                w.append("    backend: consistent_index %s, %d live keys, %d mvcc revisions"
                         % (db.get("consistent_index"), len(keys), db["mvcc_revisions"]))
                for m in db["members"]:
                    w.append("      member %s name %r peer %s client %s%s"
                             % (m["key"], m["name"], ",".join(m["peerURLs"] or []),
                                ",".join(m["clientURLs"] or []) or "-",
                                " LEARNER" if m["isLearner"] else ""))
                for m in db["members_removed"]:
                    w.append("      removed member %s" % m["key"])
        starts = [t for t, text in node_records(node) if text.startswith("\x01start ")]
        w.append("  etcd starts: %d (%s)" % (len(starts), ", ".join(hms(t) for t in starts)))
        worst = warnings(node)
        if worst:
            w.append("  warnings and errors in its log (lines, message; ids and numbers as #):")
            for cnt, level, text in worst[:8]:
                w.append("    %4d %-5s %s" % (cnt, level, text[:110]))
            if len(worst) > 8:
                w.append("    ... %d more kinds" % (len(worst) - 8))
    absent = {n["name"] for n in cfg["nodes"] if not n.get("collected")}
    w.append("")
    w.append("Leaders by term (every 'became leader at term' line of every log, up to its")
    w.append("collection):")
    seen = []
    for node in cfg["nodes"]:
        for t, text in node_records(node):
            m = re.search(r"([0-9a-f]+) became leader at term (\d+)", text)
            if m:
                seen.append((t, int(m.group(2)), m.group(1), node["name"]))
    for t, term, lid, name in sorted(seen):
        w.append("  %s  term %-4d %s%s" % (hms(t), term, nm(lid),
                                           "  (only in the log of %s, not in the bundle)" % name
                                           if name in absent else ""))
    if not seen:
        w.append("  (none)")
    w.append("")
    first = [recs[0][0] for recs in (records(n["record"]) for n in cfg["nodes"]) if recs]
    w.append("Timeline (UTC %s; arrival times of the log lines, operator actions of the"
             % day(min(first) if first else 0))
    w.append("transcript up to the collection; runs of the same event condensed%s)"
             % ("; * = host not in the bundle" if absent else ""))
    w.extend(timeline(cfg))
    return w


def main():
    cmd, *args = sys.argv[1:] or [""]
    if cmd == "facts":
        cfg = json.load(open(args[0]))
        print("\n".join(facts(cfg)))
    elif cmd in ("first", "last", "count", "grep"):
        rx = re.compile(args[1])
        pos = {"first": 2, "count": 2, "grep": 3}.get(cmd)
        after = float(args[pos]) if pos and len(args) > pos and args[pos] else None
        until = float(args[pos + 1]) if pos and len(args) > pos + 1 and args[pos + 1] else None
        hits = [(t, text) for t, text in records(args[0])
                if not text.startswith("\x01") and rx.search(text) and (after is None or t > after)
                and (until is None or t <= until)]
        if cmd == "count":
            print(len(hits))
        elif cmd == "grep":
            for _t, text in hits[:int(args[2]) if len(args) > 2 and args[2] else 1]:
                print(text)
        elif hits:
            print("%.6f" % (hits[0][0] if cmd == "first" else hits[-1][0]))
    elif cmd == "wal":
        json.dump(ei.read_wal(args[0]) or {}, sys.stdout, indent=1)
    elif cmd == "keys":
        json.dump({k: v[0] for k, v in backend_keys(args[0]).items()}, sys.stdout, indent=1, sort_keys=True)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
