#!/usr/bin/env python3
"""Write the hand-made `consul debug` archive of testdata/bundles/consul-debug.

No Consul agent runs on this machine, so the files an archive holds are
written here, in the shapes hashicorp/consul command/debug/debug.go gives
them: index.json (debugIndex), host.json (/v1/agent/host), agent.json
(/v1/agent/self, Stats as `consul info` prints them), members.json
(/v1/agent/members, Status as serf's MemberStatus number), listpeers.json
(the list-peers table, text), consul.log (hclog lines), metrics.json (a
telemetry summary stream) and one directory per interval with profiles.

The story: server consul-b of three, collected while consul-a had failed
and consul-c was gone (left), so consul-b is a candidate with no leader.

    make-debug.py STAGE_DIR
"""
import json
import os
import sys

ROOT = "consul-debug-2026-11-22T06-10-00Z"


def write(stage, rel, data):
    path = os.path.join(stage, ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)


def main():
    stage = sys.argv[1]
    tab = lambda o: json.dumps(o, indent="\t")
    write(stage, "index.json", tab({
        "Version": 1, "AgentVersion": "1.15.2", "Interval": "30s",
        "Duration": "2m2s",
        "Targets": ["metrics", "logs", "pprof", "host", "agent", "members"],
    }))
    write(stage, "host.json", tab({
        "Memory": {"total": 8342360064, "available": 5100000000},
        "CPU": [{"cpu": 0, "modelName": "Intel(R) Xeon(R)"}],
        "Host": {"hostname": "ip-10-0-1-12", "uptime": 86400,
                 "os": "linux", "platform": "debian"},
        "Disk": {"path": "/opt/consul", "fstype": "ext4",
                 "total": 21474836480, "free": 1073741824,
                 "used": 20401094656, "usedPercent": 95.0},
        "CollectionTime": 1795327800000000000,
        "Errors": None,
    }))
    write(stage, "agent.json", tab({
        "Config": {
            "Datacenter": "dc1", "PrimaryDatacenter": "dc1",
            "NodeName": "consul-b",
            "NodeID": "6f1b1e9e-2a1c-4d63-9a39-5b7a0c3d2e1b",
            "Revision": "5e08e229", "Server": True, "Version": "1.15.2",
        },
        "DebugConfig": {"EnableDebug": False, "ACLsEnabled": False,
                        "BootstrapExpect": 3, "DataDir": "/opt/consul"},
        "Coord": {"Vec": [0, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5},
        "Member": {"Name": "consul-b", "Addr": "10.0.1.12", "Port": 8301,
                   "Tags": {"dc": "dc1", "role": "consul", "port": "8300",
                            "id": "6f1b1e9e-2a1c-4d63-9a39-5b7a0c3d2e1b"},
                   "Status": 1},
        "Stats": {
            "agent": {"check_monitors": "0", "services": "0"},
            "build": {"version": "1.15.2", "revision": "5e08e229"},
            "consul": {"acl": "disabled", "bootstrap": "false",
                       "known_datacenters": "1", "leader": "false",
                       "leader_addr": "", "server": "true"},
            "raft": {
                "applied_index": "1187", "commit_index": "1187",
                "last_contact": "2m41.3s",
                "last_log_index": "1189", "last_log_term": "4",
                "latest_configuration":
                    "[{Suffrage:Voter ID:0d6e2a55-7f5c-4d0a-8c0e-1b9f4a7e3c21 "
                    "Address:10.0.1.11:8300} {Suffrage:Voter "
                    "ID:6f1b1e9e-2a1c-4d63-9a39-5b7a0c3d2e1b "
                    "Address:10.0.1.12:8300} {Suffrage:Voter "
                    "ID:a3c4e5f6-0718-4293-a4b5-c6d7e8f90a1b "
                    "Address:10.0.1.13:8300}]",
                "latest_configuration_index": "1",
                "num_peers": "2", "protocol_version": "3",
                "state": "Candidate", "term": "9",
            },
            "serf_lan": {"members": "3", "failed": "1", "left": "1",
                         "health_score": "0"},
        },
        "Meta": {"consul-network-segment": ""},
    }))
    def member(name, addr, status):
        return {"Name": name, "Addr": addr, "Port": 8301,
                "Tags": {"dc": "dc1", "role": "consul", "port": "8300"},
                "Status": status, "ProtocolMin": 1, "ProtocolMax": 5,
                "ProtocolCur": 2, "DelegateMin": 2, "DelegateMax": 5,
                "DelegateCur": 4}
    write(stage, "members.json", tab([
        member("consul-a", "10.0.1.11", 4),
        member("consul-b", "10.0.1.12", 1),
        member("consul-c", "10.0.1.13", 3),
    ]))
    write(stage, "listpeers.json",
          "Node      ID                                    Address          "
          "State     Voter  RaftProtocol  Commit Index  Trails Leader By\n")
    write(stage, "consul.log",
          "2026-11-22T06:10:01.512Z [WARN]  agent.server.raft: Election "
          "timeout reached, restarting election\n"
          "2026-11-22T06:10:01.512Z [INFO]  agent.server.raft: entering "
          "candidate state: node=\"Node at 10.0.1.12:8300 [Candidate]\" "
          "term=9\n"
          "2026-11-22T06:10:02.013Z [ERROR] agent: Coordinate update error: "
          "error=\"No cluster leader\"\n")
    write(stage, "metrics.json",
          tab({"Timestamp": "2026-11-22 06:10:00 +0000 UTC",
               "Gauges": [], "Points": [], "Counters": [],
               "Samples": []}) + "\n")
    for t in ("2026-11-22T06-10-00Z", "2026-11-22T06-10-30Z",
              "2026-11-22T06-11-00Z"):
        write(stage, t + "/heap.prof", "heap profile (placeholder)\n")
        write(stage, t + "/goroutine.prof", "goroutines (placeholder)\n")
    write(stage, "profile.prof", "cpu profile (placeholder)\n")


if __name__ == "__main__":
    main()
