#!/usr/bin/env python3
"""Writes DIR/node1/{consul/consul.log,etcd/etcd.log,zookeeper/zookeeper.log},
about BYTES in all, for bench/logs.sh.

Lines follow the layouts the parsers read (hclog text and JSON, capnslog,
zap JSON, ZooKeeper's log4j pattern) behind the wrappers logs arrive in
(none, journald short and short-iso, docker json-file, CRI, compose),
mostly routine traffic with one membership or leadership line in a
hundred, the way real logs are.  Deterministic (fixed seed and clock).
"""
import json
import os
import random
import sys

out, total = sys.argv[1], int(sys.argv[2])
rnd = random.Random(12)
T0 = 1767225600.0  # 2026-01-01T00:00:00Z


def iso(t, sep="T", frac=3, zone="Z"):
    s = int(t)
    us = int((t - s) * 1e6)
    from time import gmtime, strftime
    base = strftime("%Y-%m-%d" + sep + "%H:%M:%S", gmtime(s))
    return base + ("." + ("%06d" % us)[:frac] if frac else "") + zone


def bsd(t):
    from time import gmtime, strftime
    return strftime("%b %d %H:%M:%S", gmtime(int(t)))


def wrap(line, t, i):
    k = i % 5
    if k == 0:
        return line
    if k == 1:
        return "%s node1 app[811]: %s" % (bsd(t), line)
    if k == 2:
        return json.dumps({"log": line + "\n", "stream": "stderr",
                           "time": iso(t, frac=6)}, separators=(",", ":"))
    if k == 3:
        return "%s stderr F %s" % (iso(t, frac=6), line)
    return "node1-1  | " + line


consul_routine = [
    "[DEBUG] agent.http: Request finished: method=GET url=/v1/kv/app?index=%d from=127.0.0.1:5%04d latency=%dus",
    "[INFO]  agent: Synced check: check=service:web-%d",
    "[DEBUG] agent.server.memberlist.lan: memberlist: Stream connection from=10.0.0.%d:5%04d",
]
consul_event = [
    "[INFO]  agent.server.raft: entering follower state: follower=\"Node at 10.0.0.1:8300 [Follower]\" leader=",
    "[WARN]  agent.server.raft: heartbeat timeout reached, starting election: last-leader=",
    "[INFO]  agent.server.raft: entering candidate state: node=\"Node at 10.0.0.1:8300 [Candidate]\" term=%d",
    "[INFO]  agent.server.raft: election won: tally=2",
    "[INFO]  agent.server.serf.lan: serf: EventMemberJoin: node%d 10.0.0.%d",
]
etcd_routine = [
    "W | etcdserver: read-only range request \"key:\\\"/registry/pods/p%d\\\" \" with result \"range_response_count:1 size:%d\" took too long (%dms) to execute",
    "I | mvcc: finished scheduled compaction at %d (took %dms)",
    "I | etcdserver: saved snapshot at index %d",
]
etcd_event = [
    "I | raft: 8e9e05c52164694d became follower at term %d",
    "I | raft: raft.node: 8e9e05c52164694d elected leader 91bc3c398fb3c146 at term %d",
    "I | rafthttp: peer 91bc3c398fb3c146 became active",
]
zk_routine = [
    "INFO  [NIOWorkerThread-%d:NIOServerCnxn@%d] - Closing session 0x%x",
    "INFO  [SyncThread:%d:FileTxnLog@%d] - Creating new log file: log.%x",
    "WARN  [NIOWorkerThread-%d:NIOServerCnxn@%d] - Unexpected exception, session 0x%x",
]
zk_event = [
    "INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@%d] - LOOKING",
    "INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@%d] - FOLLOWING",
    "INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181)(secure=disabled):Leader@%d] - LEADING - LEADER ELECTION TOOK - %d MS",
]


def fill(template):
    n = template.count("%")
    return template % tuple(rnd.randrange(1, 60000) for _ in range(n))


def write(path, budget, fmt):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    t = T0
    size = 0
    i = 0
    with open(path, "w") as f:
        while size < budget:
            t += rnd.random() * 0.05
            line = wrap(fmt(t, i), t, i)
            f.write(line + "\n")
            size += len(line) + 1
            i += 1


def consul(t, i):
    ev = rnd.random() < 0.01
    tpl = rnd.choice(consul_event if ev else consul_routine)
    if i % 7 == 6:
        return json.dumps({"@level": "info", "@message": fill(tpl.split("] ", 1)[1].split(": ", 1)[1]),
                           "@module": "agent.server.raft", "@timestamp": iso(t, zone="Z")})
    return "%s %s" % (iso(t), fill(tpl))


def etcd(t, i):
    ev = rnd.random() < 0.01
    tpl = rnd.choice(etcd_event if ev else etcd_routine)
    if i % 7 == 6:
        msg = fill(tpl.split(" | ", 1)[1].split(": ", 1)[1])
        return json.dumps({"level": "info", "ts": iso(t), "caller": "etcdserver/server.go:1", "msg": msg})
    return "%s %s" % (iso(t, sep=" ", frac=6, zone=""), fill(tpl))


def zk(t, i):
    ev = rnd.random() < 0.01
    tpl = rnd.choice(zk_event if ev else zk_routine)
    return "%s [myid:1] - %s" % (iso(t, sep=" ", zone="").replace(".", ","), fill(tpl))


third = total // 3
write(os.path.join(out, "node1/consul/consul.log"), third, consul)
write(os.path.join(out, "node1/etcd/etcd.log"), third, etcd)
write(os.path.join(out, "node1/zookeeper/zookeeper.log"), third, zk)
