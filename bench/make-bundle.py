#!/usr/bin/env python3
"""Stream a large multi-node etcd collection bundle (an uncompressed tar) to
stdout, for bench/inventory.sh.  Nothing is written to disk here: the caller
pipes the stream into `gzip -1`.

Per node (NODES, default 5):
  var/lib/etcd/member/wal/   3 WAL segments of exactly 64,000,000 bytes each,
                             as etcd 3.4 preallocates them: valid WAL framing
                             (crc, metadata, snapshot/state, then entry
                             records with random-looking payloads and a
                             correct running CRC-32C) followed by zeros
  var/log/etcd/etcd.log      LOG_BYTES (default 100,000,000) of capnslog-style
                             etcd 3.4 lines, repetitive as real ones are
  var/log/etcd/old/          1000 small rotated logs (0.6-2.5 KB)
  collect/proc/<pid>/status  1000 small /proc status dumps (about 0.7 KB)
plus MANIFEST.txt at the bundle root.

Deterministic for a given set of parameters (fixed seeds and mtimes).
Prints "entries=N files=F bytes=M" (tar entries including directories,
regular files, tar stream bytes) on stderr at the end.  Standard library only.

Usage: make-bundle.py [NODES [LOG_BYTES [WAL_HEAD_BYTES]]] > bundle.tar
"""

import hashlib
import io
import random
import struct
import sys
import tarfile
import time

MTIME = 1714564800
WAL_SIZE = 64000000
TOP = "bench-collect"
SMALL_LOGS = 1000
SMALL_PROC = 1000


# --- etcd WAL framing ------------------------------------------------------

def _table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t


_T = _table()


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    t = _T
    for b in data:
        crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pv(f, n):
    return varint(f << 3) + varint(n)


def pb(f, b):
    return varint(f << 3 | 2) + varint(len(b)) + b


def frame(rtype, crc, data):
    rec = pv(1, rtype) + pv(2, crc) + (pb(3, data) if data is not None else b"")
    n = len(rec)
    pad = (8 - n % 8) % 8
    lf = n | (((0x80 | pad) << 56) if pad else 0)
    return struct.pack("<Q", lf) + rec + b"\0" * pad


def member_id(url):
    h = hashlib.sha1((url + "etcd-cluster").encode()).digest()
    return struct.unpack(">Q", h[:8])[0]


class WalWriter:
    """Builds the heads of a member's WAL segments, CRC chained across them."""

    def __init__(self, node, ids, cid, rng):
        self.me = ids[node - 1]
        self.ids = ids
        self.cid = cid
        self.rng = rng
        self.crc = 0
        self.index = 0
        self.term = 2

    def rec(self, rtype, data):
        self.crc = crc32c(data, self.crc)
        return frame(rtype, self.crc, data)

    def segment(self, seq, head_bytes):
        out = [frame(4, self.crc, None)]
        out.append(self.rec(1, pv(1, self.me) + pv(2, self.cid)))
        if seq == 0:
            out.append(self.rec(5, pv(1, 0) + pv(2, 0)))
        else:
            out.append(self.rec(3, pv(1, self.term) + pv(2, self.ids[0])
                                + pv(3, self.index)))
        size = sum(len(x) for x in out)
        rng = self.rng
        while size < head_bytes:
            self.index += 1
            data = rng.randbytes(rng.randrange(48, 1024))
            ent = pv(1, 0) + pv(2, self.term) + pv(3, self.index) + pb(4, data)
            r = self.rec(2, ent)
            out.append(r)
            size += len(r)
            if self.index % 64 == 0:
                r = self.rec(3, pv(1, self.term) + pv(2, self.ids[0])
                             + pv(3, self.index))
                out.append(r)
                size += len(r)
        return b"".join(out)


# --- logs ------------------------------------------------------------------

def etcd_log(node, ids, size, rng):
    me = "%x" % ids[node - 1]
    leader = "%x" % ids[0]
    peers = ["%x" % i for i in ids if i != ids[node - 1]] or [me]
    keys = ["/registry/services/endpoints/default/kubernetes",
            "/registry/leases/kube-node-lease/worker-%d",
            "/registry/pods/kube-system/coredns-%d",
            "/registry/configmaps/kube-system/kube-proxy",
            "/registry/minions/worker-%d"]
    out = []
    n = 0
    t = float(MTIME)
    applied = 100000
    rev = 5000000
    sec = -1
    prefix = ""
    while n < size:
        t += rng.random() * 0.1
        s = int(t)
        if s != sec:
            sec = s
            prefix = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(s))
        ts = "%s.%06d" % (prefix, int((t - s) * 1e6))
        r = rng.random()
        if r < 0.55:
            k = rng.choice(keys)
            if "%d" in k:
                k = k % rng.randrange(1, 40)
            line = ('%s W | etcdserver: read-only range request "key:\\"%s\\" '
                    'serializable:true " with result "range_response_count:1 '
                    'size:%d" took too long (%.6fms) to execute\n'
                    % (ts, k, rng.randrange(200, 9000),
                       100 + rng.random() * 400))
        elif r < 0.70:
            line = ('%s W | etcdserver: failed to send out heartbeat on time '
                    '(exceeded the 100ms timeout for %.6fms, to %s)\n'
                    % (ts, 5 + rng.random() * 90, rng.choice(peers)))
        elif r < 0.78:
            line = "%s W | etcdserver: server is likely overloaded\n" % ts
        elif r < 0.86:
            rev += rng.randrange(1000, 5000)
            line = ("%s I | mvcc: store.index: compact %d\n%s I | mvcc: "
                    "finished scheduled compaction at %d (took %.6fms)\n"
                    % (ts, rev, ts, rev, 1 + rng.random() * 30))
        elif r < 0.92:
            applied += 10001
            line = ("%s I | etcdserver: start to snapshot (applied: %d, "
                    "lastsnap: %d)\n%s I | etcdserver: saved snapshot at "
                    "index %d\n%s I | etcdserver: compacted raft log at %d\n"
                    % (ts, applied, applied - 10001, ts, applied, ts,
                       applied - 5000))
        elif r < 0.97:
            p = rng.choice(peers)
            line = ('%s W | rafthttp: health check for peer %s could not '
                    'connect: dial tcp 127.0.0.%d:2380: i/o timeout (prober '
                    '"ROUND_TRIPPER_RAFT_MESSAGE")\n'
                    % (ts, p, 30 + ids.index(int(p, 16)) + 1))
        else:
            line = ("raft%s INFO: %s [term: 2] received a MsgHeartbeat message "
                    "from %s [term: 2]\n"
                    % (time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(s)),
                       me, leader))
        out.append(line)
        n += len(line)
    data = "".join(out).encode()
    return data[:size]


def small_log(node, i, rng):
    lines = []
    t = MTIME - 86400 * 30 + i * 2400
    for _ in range(rng.randrange(8, 30)):
        t += rng.randrange(1, 90)
        lines.append("%s.%06d I | etcdserver/api/etcdhttp: /health OK "
                     "(status code 200)\n"
                     % (time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)),
                        rng.randrange(1000000)))
    return "".join(lines).encode()


def proc_status(pid, rng):
    return ("Name:\tetcd\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%d\n"
            "Ngid:\t0\nPid:\t%d\nPPid:\t1\nTracerPid:\t0\nUid:\t0\t0\t0\t0\n"
            "Gid:\t0\t0\t0\t0\nFDSize:\t256\nGroups:\t0\nVmPeak:\t%d kB\n"
            "VmSize:\t%d kB\nVmLck:\t0 kB\nVmPin:\t0 kB\nVmHWM:\t%d kB\n"
            "VmRSS:\t%d kB\nRssAnon:\t%d kB\nRssFile:\t%d kB\nRssShmem:\t0 kB\n"
            "VmData:\t%d kB\nVmStk:\t132 kB\nVmExe:\t12400 kB\n"
            "VmLib:\t8 kB\nVmPTE:\t%d kB\nVmSwap:\t0 kB\nThreads:\t%d\n"
            "SigQ:\t0/95528\nSigPnd:\t0000000000000000\n"
            "ShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n"
            "SigIgn:\t0000000000000000\nSigCgt:\tfffffffd7fc1feff\n"
            "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
            "CapEff:\t000001ffffffffff\nvoluntary_ctxt_switches:\t%d\n"
            "nonvoluntary_ctxt_switches:\t%d\n"
            % (pid, pid, rng.randrange(10**6, 10**7), rng.randrange(10**6, 10**7),
               rng.randrange(10**5, 10**6), rng.randrange(10**5, 10**6),
               rng.randrange(10**5, 10**6), rng.randrange(10**4, 10**5),
               rng.randrange(10**5, 10**6), rng.randrange(100, 2000),
               rng.randrange(8, 40), rng.randrange(10**6),
               rng.randrange(10**4))).encode()


# --- tar stream ------------------------------------------------------------

class Counter:
    def __init__(self, f):
        self.f = f
        self.n = 0

    def write(self, b):
        self.n += len(b)
        return self.f.write(b)

    def flush(self):
        self.f.flush()


class Zeros:
    def __init__(self, n):
        self.left = n

    def read(self, size=-1):
        if size < 0 or size > self.left:
            size = self.left
        self.left -= size
        return b"\0" * size


class Concat:
    """head bytes followed by zeros, as a file object."""

    def __init__(self, head, total):
        self.head = head
        self.pos = 0
        self.zeros = Zeros(total - len(head))

    def read(self, size=-1):
        b = b""
        if self.pos < len(self.head):
            if size < 0:
                size = len(self.head) - self.pos + self.zeros.left
            b = self.head[self.pos:self.pos + size]
            self.pos += len(b)
            size -= len(b)
        if size:
            b += self.zeros.read(size)
        return b


def main():
    nodes = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    log_bytes = int(sys.argv[2]) if len(sys.argv) > 2 else 100000000
    wal_head = int(sys.argv[3]) if len(sys.argv) > 3 else 512 * 1024
    urls = ["http://127.0.0.%d:2380" % (31 + i) for i in range(nodes)]
    ids = [member_id(u) for u in urls]
    cid = struct.unpack(">Q", hashlib.sha1(b"".join(
        struct.pack(">Q", i) for i in sorted(ids))).digest()[:8])[0]

    out = Counter(sys.stdout.buffer)
    tf = tarfile.open(fileobj=out, mode="w|", format=tarfile.USTAR_FORMAT,
                      bufsize=1024 * 1024)
    tf.copybufsize = 1024 * 1024
    entries = 0
    files = 0
    made = set()

    def ti(name, **kw):
        t = tarfile.TarInfo(name)
        t.mtime = MTIME
        t.uid = t.gid = 0
        t.uname = t.gname = "root"
        t.mode = 0o644
        for k, v in kw.items():
            setattr(t, k, v)
        return t

    def mkdirs(path):
        nonlocal entries
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in made:
                made.add(d)
                tf.addfile(ti(d, type=tarfile.DIRTYPE, mode=0o755))
                entries += 1

    def add(path, data=None, fileobj=None, size=None):
        nonlocal entries, files
        mkdirs(path)
        if data is not None:
            fileobj, size = io.BytesIO(data), len(data)
        tf.addfile(ti(path, size=size), fileobj)
        entries += 1
        files += 1

    manifest = "".join("etcd%d  127.0.0.%d  etcd  /var/lib/etcd /var/log/etcd\n"
                       % (i + 1, 31 + i) for i in range(nodes))
    add(TOP + "/MANIFEST.txt", manifest.encode())
    for node in range(1, nodes + 1):
        rng = random.Random(node)
        base = "%s/etcd%d/" % (TOP, node)
        for i in range(SMALL_PROC):
            pid = 1000 + i * 7
            add(base + "collect/proc/%d/status" % pid, proc_status(pid, rng))
        wal = WalWriter(node, ids, cid, rng)
        first_index = 0
        for seq in range(3):
            head = wal.segment(seq, wal_head)
            name = "%016x-%016x.wal" % (seq, first_index)
            add(base + "var/lib/etcd/member/wal/" + name,
                fileobj=Concat(head, WAL_SIZE), size=WAL_SIZE)
            first_index = wal.index + 1
        log = etcd_log(node, ids, log_bytes, rng)
        add(base + "var/log/etcd/etcd.log", log)
        del log
        for i in range(SMALL_LOGS):
            add(base + "var/log/etcd/old/etcd.log.%d" % (i + 1),
                small_log(node, i, rng))
    tf.close()
    out.flush()
    sys.stderr.write("entries=%d files=%d bytes=%d\n"
                     % (entries, files, out.n))


if __name__ == "__main__":
    main()
