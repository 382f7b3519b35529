#!/usr/bin/env python3
"""Summarise ZooKeeper on-disk state (txn logs, snapshots, epoch files).

Used by the fixture generator to write the "facts" section of each bundle
README from the files the real server produced, and handy for humans:

    zkdump.py DATADIR            # a dataDir holding myid and version-2/
    zkdump.py --json DATADIR
    zkdump.py --facts ZONEROOT... # README facts for Triton-layout zone dirs
    zkdump.py --facts-at CFG:DATADIR:LOG ROOT...   # the same, other layouts

Only the Python standard library is used.  Formats: formats.md section 6.
"""
import json
import os
import struct
import sys
import zlib

TXN_NAMES = {
    -10: "createSession", -11: "closeSession", -1: "error", 1: "create",
    15: "create2", 19: "createContainer", 21: "createTTL", 2: "delete",
    20: "deleteContainer", 5: "setData", 16: "reconfig", 7: "setACL",
    13: "check", 14: "multi",
}


class Cur:
    def __init__(self, b, off=0):
        self.b, self.o = b, off

    def need(self, n):
        if self.o + n > len(self.b):
            raise EOFError
    def i32(self):
        self.need(4)
        v = struct.unpack_from(">i", self.b, self.o)[0]
        self.o += 4
        return v

    def i64(self):
        self.need(8)
        v = struct.unpack_from(">q", self.b, self.o)[0]
        self.o += 8
        return v

    def u8(self):
        self.need(1)
        v = self.b[self.o]
        self.o += 1
        return v

    def buf(self):
        n = self.i32()
        if n < 0:
            return None
        self.need(n)
        v = self.b[self.o:self.o + n]
        self.o += n
        return v

    def ustr(self):
        v = self.buf()
        return None if v is None else v.decode("utf-8", "replace")

    def acls(self):
        n = self.i32()
        out = []
        for _ in range(max(n, 0)):
            perms = self.i32()
            out.append((perms, self.ustr(), self.ustr()))
        return out


def hexz(z):
    return "0x%x" % z


def decode_body(t, c, end):
    d = {}
    if t in (1, 15, 19, 21):
        d["path"] = c.ustr()
        data = c.buf()
        d["data"] = None if data is None else data.decode("utf-8", "replace")
        c.acls()
        if t in (1, 15):
            if c.o < end:
                d["ephemeral"] = bool(c.u8())
            if c.o < end:
                d["parentCVersion"] = c.i32()
        else:
            d["parentCVersion"] = c.i32()
            if t == 21:
                d["ttl"] = c.i64()
    elif t in (2, 20):
        d["path"] = c.ustr()
    elif t in (5, 16):
        d["path"] = c.ustr()
        data = c.buf()
        d["data"] = None if data is None else data.decode("utf-8", "replace")
        d["version"] = c.i32()
    elif t == -10:
        d["timeOut"] = c.i32()
    elif t == -11:
        if c.o < end:
            n = c.i32()
            d["paths2Delete"] = [c.ustr() for _ in range(max(n, 0))]
    elif t == -1:
        d["err"] = c.i32()
    elif t == 14:
        n = c.i32()
        ops = []
        for _ in range(max(n, 0)):
            st = c.i32()
            sub = c.buf()
            sc = Cur(sub)
            try:
                ops.append(dict(type=TXN_NAMES.get(st, st), **decode_body(st, sc, len(sub))))
            except EOFError:
                ops.append({"type": TXN_NAMES.get(st, st)})
        d["ops"] = ops
    return d


def read_txnlog(path):
    b = open(path, "rb").read()
    c = Cur(b)
    magic, ver, dbid = c.i32(), c.i32(), c.i64()
    if magic != 0x5A4B4C47:
        raise ValueError("%s: bad magic %x" % (path, magic))
    out = []
    while True:
        try:
            crc = c.i64()
            ln = c.i32()
        except EOFError:
            break
        if ln == 0:
            break
        if c.o + ln + 1 > len(b):
            out.append({"partial": True})
            break
        txn = b[c.o:c.o + ln]
        ok = (zlib.adler32(txn) & 0xffffffff) == (crc & 0xffffffff)
        tc = Cur(txn)
        hdr = dict(session=tc.i64(), cxid=tc.i32(), zxid=tc.i64(), time=tc.i64(), type=tc.i32())
        e = {"zxid": hexz(hdr["zxid"]), "session": hexz(hdr["session"] & 0xffffffffffffffff),
             "cxid": hdr["cxid"], "time_ms": hdr["time"],
             "type": TXN_NAMES.get(hdr["type"], hdr["type"]), "crc_ok": ok}
        try:
            e.update(decode_body(hdr["type"], tc, len(txn)))
        except EOFError:
            e["truncated_body"] = True
        if len(txn) - tc.o >= 12:
            e["digest_version"] = tc.i32()
            e["tree_digest"] = tc.i64()
        c.o += ln
        if b[c.o] != 0x42:
            e["bad_eor"] = True
            out.append(e)
            break
        c.o += 1
        out.append(e)
    return {"file": os.path.basename(path), "size": len(b), "entries": out}


def read_snapshot(path):
    b = open(path, "rb").read()
    c = Cur(b)
    magic, ver, dbid = c.i32(), c.i32(), c.i64()
    if magic != 0x5A4B534E:
        raise ValueError("%s: bad magic %x" % (path, magic))
    n = c.i32()
    sessions = [(hexz(c.i64() & 0xffffffffffffffff), c.i32()) for _ in range(n)]
    nacl = c.i32()
    for _ in range(nacl):
        c.i64()
        c.acls()
    nodes = []
    while True:
        p = c.ustr()
        if p == "/":
            break
        data = c.buf()
        c.i64()
        st = [c.i64(), c.i64(), c.i64(), c.i64(), c.i32(), c.i32(), c.i32(), c.i64(), c.i64()]
        nodes.append({"path": p or "/", "ephemeralOwner": hexz(st[7] & 0xffffffffffffffff),
                      "mzxid": hexz(st[1]),
                      "data": None if data is None else data.decode("utf-8", "replace")})
    return {"file": os.path.basename(path), "size": len(b),
            "sessions": [{"id": s, "timeout_ms": t} for s, t in sessions], "nodes": nodes}


def read_text(p):
    try:
        with open(p) as f:
            return f.read()
    except OSError:
        return None


def summarise(datadir):
    v2 = os.path.join(datadir, "version-2")
    res = {"myid": (read_text(os.path.join(datadir, "myid")) or "").strip() or None,
           "currentEpoch": read_text(os.path.join(v2, "currentEpoch")),
           "acceptedEpoch": read_text(os.path.join(v2, "acceptedEpoch")),
           "logs": [], "snapshots": []}
    names = sorted(os.listdir(v2), key=lambda n: (n.split(".")[0], int(n.split(".")[1], 16) if "." in n and all(ch in "0123456789abcdef" for ch in n.split(".")[1]) else 0)) if os.path.isdir(v2) else []
    last = 0
    for n in names:
        p = os.path.join(v2, n)
        if n.startswith("log."):
            lg = read_txnlog(p)
            res["logs"].append(lg)
            for e in lg["entries"]:
                if "zxid" in e:
                    last = max(last, int(e["zxid"], 16))
        elif n.startswith("snapshot."):
            res["snapshots"].append(read_snapshot(p))
            last = max(last, int(n.split(".")[1], 16))
    res["lastZxid"] = hexz(last)
    res["lastZxidEpoch"] = last >> 32
    return res



import re

LOG_LEADER = re.compile(r"Have quorum of supporters, sids: \[(.*)\]; starting up and setting last processed zxid: 0x([0-9a-f]+)")
# "... - LOOKING" (log4j patterns ending in " - %m") or Kafka's
# "[%d] %p %m (%c)" ("... INFO LOOKING (org.apache...QuorumPeer)").
LOG_STATE = re.compile(r"(?: - | INFO )(LOOKING|LEADING|FOLLOWING|OBSERVING)(?: \(\S+\))?$")
LOG_CHANNEL = re.compile(r"Cannot open channel to (\d+) at election address (\S+)")


def parse_cfg(path):
    cfg = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                k, v = line.split("=", 1)
                cfg[k.strip()] = v.strip()
    except OSError:
        pass
    return cfg


TRITON_LAYOUT = ("opt/local/etc/zookeeper/zoo.cfg", "zookeeper/zookeeper",
                 "var/log/zookeeper/zookeeper.log")


def zone_facts(root, layout=TRITON_LAYOUT):
    name = os.path.basename(root.rstrip("/"))
    cfgrel, datarel, logrel = layout
    cfgp = os.path.join(root, cfgrel)
    cfg = parse_cfg(cfgp)
    servers = {k: v for k, v in cfg.items() if k.startswith("server.")}
    dyn = cfg.get("dynamicConfigFile")
    if dyn:
        dpath = os.path.join(root, dyn.lstrip("/"))
        servers.update({k: v for k, v in parse_cfg(dpath).items() if k.startswith("server.")})
    data = summarise(os.path.join(root, datarel))
    out = []
    out.append("%s: myid=%s currentEpoch=%s acceptedEpoch=%s last zxid on disk=%s" % (
        name, data["myid"], data["currentEpoch"], data["acceptedEpoch"], data["lastZxid"]))
    if dyn:
        out.append("  zoo.cfg -> dynamicConfigFile=%s" % dyn)
    cfgdir = os.path.dirname(cfgp)
    cfgbase = os.path.basename(cfgp)
    extra = sorted(f for f in os.listdir(cfgdir) if f != cfgbase and f.startswith(cfgbase)) if os.path.isdir(cfgdir) else []
    if extra:
        out.append("  also in /%s: %s" % (os.path.dirname(cfgrel), ", ".join(extra)))
    for k in sorted(servers, key=lambda x: int(x.split(".")[1])):
        out.append("  %s=%s" % (k, servers[k]))
    if "clientPortAddress" in cfg:
        out.append("  clientPortAddress=%s clientPort=%s" % (cfg["clientPortAddress"], cfg.get("clientPort")))
    created, closed = [], set()
    for lg in data["logs"]:
        ents = [e for e in lg["entries"] if "zxid" in e]
        if ents:
            out.append("  txn log %s: %d txns, zxid %s..%s" % (lg["file"], len(ents), ents[0]["zxid"], ents[-1]["zxid"]))
        else:
            out.append("  txn log %s: no txns" % lg["file"])
        for e in ents:
            if e["type"] == "createSession":
                created.append(e["session"])
            elif e["type"] == "closeSession":
                closed.add(e["session"])
    for sn in data["snapshots"]:
        out.append("  snapshot %s: %d znodes, %d sessions" % (sn["file"], len(sn["nodes"]), len(sn["sessions"])))
    if created:
        open_s = [x for x in created if x not in closed]
        out.append("  sessions created in txn logs: %s" % ", ".join(created))
        if open_s:
            out.append("  sessions never closed in txn logs: %s" % ", ".join(open_s))
    logp = os.path.join(root, logrel)
    leads, states, chans = [], [], {}
    try:
        with open(logp, errors="replace") as f:
            for line in f:
                m = LOG_LEADER.search(line)
                if m:
                    leads.append("epoch %d (sids %s)" % (int(m.group(2), 16) >> 32, m.group(1)))
                m = LOG_STATE.search(line.rstrip("\n"))
                if m:
                    states.append(m.group(1))
                m = LOG_CHANNEL.search(line)
                if m:
                    chans[(m.group(1), m.group(2))] = chans.get((m.group(1), m.group(2)), 0) + 1
    except OSError:
        pass
    if leads:
        out.append("  led: %s" % "; ".join(leads))
    if states:
        out.append("  state lines in log: %d (last: %s)" % (len(states), states[-1]))
    for (sid, addr), n in sorted(chans.items()):
        out.append("  'Cannot open channel to %s at election address %s' x%d" % (sid, addr, n))
    return "\n".join(out)


def main(argv):
    as_json = "--json" in argv
    if "--facts" in argv:
        for d in [a for a in argv if a != "--facts"]:
            print(zone_facts(d))
        return
    if argv and argv[0] == "--facts-at":
        # --facts-at CFG:DATADIR:LOG ROOT...: the same for other layouts
        # (paths relative to each node root).
        layout = tuple(argv[1].split(":"))
        for d in argv[2:]:
            print(zone_facts(d, layout))
        return
    args = [a for a in argv if a != "--json"]
    for d in args:
        s = summarise(d)
        if as_json:
            print(json.dumps(s, indent=1))
            continue
        print("%s: myid=%s currentEpoch=%s acceptedEpoch=%s lastZxid=%s" %
              (d, s["myid"], s["currentEpoch"], s["acceptedEpoch"], s["lastZxid"]))
        for sn in s["snapshots"]:
            print("  %s sessions=%d nodes=%d" % (sn["file"], len(sn["sessions"]), len(sn["nodes"])))
        for lg in s["logs"]:
            print("  %s (%d bytes)" % (lg["file"], lg["size"]))
            for e in lg["entries"]:
                extra = {k: v for k, v in e.items() if k not in ("zxid", "session", "cxid", "time_ms", "type", "crc_ok", "digest_version", "tree_digest")}
                print("    %s %-13s session=%s%s%s" % (e.get("zxid"), e.get("type"), e.get("session"),
                      "" if e.get("crc_ok", True) else " BADCRC",
                      (" " + json.dumps(extra)) if extra else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
