#!/usr/bin/env python3
"""Write the hand-written triton-ghosts bundle tree (formats.md 7.4 cases 2-4).

    make-ghosts.py OUTDIR

Writes OUTDIR/triton-ghosts/ with the headnode dumps at its root and three
binder zone directories holding the files binder's config-agent renders
(zoo.cfg, myid).  Everything is invented, in the shapes of seed 004 and
the documented SAPI/VMAPI objects; no software here produces Triton dumps.
Deterministic output.  The facts the analyzer must find are listed in
FACTS below and copied into the bundle's README by run.sh.
"""
import json
import os
import sys

ADMIN = "930896af-bf8c-48d4-885c-6573a94b1853"      # ufds admin
SDC_APP = "8b7af59b-390e-4537-982e-8bc5584533dd"    # seed 004's sapiadm call
SVC = {
    "binder": "a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a01",
    "moray": "a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a02",
    "manatee": "a1b2c3d4-0003-4e5f-8a9b-0c1d2e3f4a03",
}
HN = "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c01"
CN2 = "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c02"
CN3 = "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c03"        # gone
CN4 = "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c04"
CN5 = "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c05"
BINDER_IMG = "0a7b2c6e-3e55-4a3f-8a0e-5c1f2d9b7e10"
NET = "10.99.72."

# alias, uuid, server, ip, state, tagged, zk_id (None: no SAPI instance)
BINDERS = [
    ("binder0", "e0b6fef5-9af1-4b60-9cd8-10b2947a2977", HN, NET + "9", "running", True, 1),
    ("binder1", "3953bf8f-2d0d-4896-8f4d-62c2c054a731", CN2, NET + "45", "running", True, 3),
    # destroyed with its CN long ago; SAPI instance deleted, ZK_SERVERS kept it (case 3)
    ("binder2", "9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f", CN3, NET + "200", "destroyed", True, None),
    ("binder3", "d32b44e1-9a44-4fb6-a344-7facc8fb5910", CN4, NET + "108", "running", True, 4),
    # provisioned by hand from the binder image, never registered in SAPI (case 2)
    ("binder4", "7f3e2d1c-0b9a-4887-a665-5443b2a1c0d9", CN5, NET + "120", "running", True, None),
]
OTHERS = [
    ("manatee0", "a0d9e7f3-5d4a-4f3e-9a51-1f6a3c2b7e01", "manatee", HN, NET + "31"),
    ("moray0", "7cb5f4b8-0f3a-4d8e-9c1d-5e2f6a7b8c90", "moray", HN, NET + "41"),
]


def zk(entries, last_at=None):
    """ZK_SERVERS elements; "last" on element last_at (default: final)."""
    out = [{"host": NET + h, "port": 2181, "num": n} for h, n in entries]
    out[len(out) - 1 if last_at is None else last_at]["last"] = True
    return out


GOOD = [("9", 1), ("45", 3), ("108", 4)]
# sdc application: the destroyed binder2 still listed as num 5, and "last"
# left on element 2 by a hand edit (cases 3)
SDC_ZK = zk(GOOD + [("200", 5)], last_at=1)
MORAY_ZK = zk(GOOD)                                    # what sdcadm wrote
MANATEE_ZK = zk([("9", 1), ("45", 3), ("45", 4)])      # hand-edited typo (case 4)

FACTS = """\
  binder0  e0b6fef5  headnode  10.99.72.9    SAPI instance, ZK_ID 1, myid 1
  binder1  3953bf8f  CN2       10.99.72.45   SAPI instance, ZK_ID 3, myid file says 2 (case 4: myid != ZK_ID)
  binder2  9c0d1e2f  CN3       10.99.72.200  VMAPI destroyed, no SAPI instance, still num 5 in the
                                             sdc application's ZK_SERVERS (case 3: host of no running binder)
  binder3  d32b44e1  CN4       10.99.72.108  SAPI instance, ZK_ID 4, myid 4; its zoo.cfg has
                                             server.3=10.99.72.46 (case 4: zoo.cfg != ZK_SERVERS)
  binder4  7f3e2d1c  CN5       10.99.72.120  running, tags.smartdc_role binder, no SAPI instance, in
                                             no ZK_SERVERS and no zoo.cfg (case 2: destroy it)
  sdc application ZK_SERVERS: nums 1 3 4 5, "last" on element 2 of 4 (case 3)
  moray service ZK_SERVERS:   nums 1 3 4 at .9 .45 .108 (right)
  manatee service ZK_SERVERS: num 4 at 10.99.72.45, binder1's address (case 4, and the
                              mismatch rule: server 4 is at 10.99.72.108)
  zoo.cfg of every zone lists server.5=10.99.72.200: 4 voters, one of them gone

Findings expected (tests/cases/report-triton-ghosts.out)
  triton-ghost-instance       binder4 runs without a SAPI instance, outside the
                              ensemble (warning; the adopt variant is in tests/test_rules.c)
  triton-zk-servers-invalid   the sdc application's list: num 5 at .200, "last" misplaced
  triton-zk-servers-mismatch  the manatee service's list: num 4 at .45
  triton-zk-servers-copies    sdc/manatee/moray copies differ; binder1's myid; binder3's zoo.cfg
  zk-cfg-differ, zk-myid-missing, zk-ensemble-size (the ZooKeeper rules on the zone files)
  Every sapiadm document in the report is the same 3-server list (nums 1 3 4).
"""


def vm(alias, uuid, role, server, ip, state, tagged):
    o = {
        "uuid": uuid, "alias": alias, "brand": "joyent-minimal",
        "create_timestamp": "2024-02-06T08:27:33.054Z",
        "destroyed": "2021-07-19T22:41:05.771Z" if state == "destroyed" else None,
        "image_uuid": BINDER_IMG, "last_modified": "2024-02-06T08:31:12.899Z",
        "nics": [{"interface": "net0", "nic_tag": "admin", "ip": ip,
                  "ips": [ip + "/24"], "netmask": "255.255.255.0", "primary": True}],
        "owner_uuid": ADMIN, "ram": 1024, "server_uuid": server, "state": state,
        "zone_state": "running" if state == "running" else state,
    }
    if tagged:
        o["tags"] = {"smartdc_role": role, "smartdc_type": "core"}
    return o


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def zoo_cfg(servers):
    # binder's zookeeper template (tickTime, limits, dataDir, ports)
    lines = ["# The number of milliseconds of each tick", "tickTime=2000",
             "# The number of ticks that the initial", "# synchronization phase can take",
             "initLimit=10", "# The number of ticks that can pass between",
             "# sending a request and getting an acknowledgement", "syncLimit=5",
             "dataDir=/zookeeper/zookeeper", "# the port at which the clients will connect",
             "clientPort=2181", "maxClientCnxns=0"]
    lines += ["server.%d=%s:2888:3888" % (n, NET + h) for h, n in servers]
    return "\n".join(lines) + "\n"


def main(outdir):
    root = os.path.join(outdir, "triton-ghosts")
    os.makedirs(root, exist_ok=True)
    write_json(os.path.join(root, "sdc-sapi-applications.json"), [{
        "uuid": SDC_APP, "name": "sdc", "owner_uuid": ADMIN, "params": {},
        "metadata": {"datacenter_name": "de-gt-4", "dns_domain": "example.com",
                     "ufds_admin_uuid": ADMIN, "ZK_SERVERS": SDC_ZK},
        "manifests": {}}])
    write_json(os.path.join(root, "sdc-sapi-services.json"), [
        {"uuid": SVC["binder"], "name": "binder", "application_uuid": SDC_APP,
         "type": "vm", "params": {"image_uuid": BINDER_IMG}, "metadata": {
             "SERVICE_NAME": "binder.de-gt-4.example.com"}, "manifests": {}},
        {"uuid": SVC["manatee"], "name": "manatee", "application_uuid": SDC_APP,
         "type": "vm", "params": {}, "metadata": {"ZK_SERVERS": MANATEE_ZK}, "manifests": {}},
        {"uuid": SVC["moray"], "name": "moray", "application_uuid": SDC_APP,
         "type": "vm", "params": {}, "metadata": {"ZK_SERVERS": MORAY_ZK}, "manifests": {}},
    ])
    write_json(os.path.join(root, "sdc-sapi-instances.json"), [
        {"uuid": u, "service_uuid": SVC["binder"], "type": "vm",
         "params": {"alias": a, "server_uuid": s}, "metadata": {"ZK_ID": str(z)}}
        for a, u, s, _ip, _st, _t, z in BINDERS if z is not None])
    vms = [vm(a, u, "binder", s, ip, st, t) for a, u, s, ip, st, t, _z in BINDERS]
    vms += [vm(a, u, r, s, ip, "running", True) for a, u, r, s, ip in OTHERS]
    write_json(os.path.join(root, "vmapi-vms.json"), vms)

    rendered = [("9", 1), ("45", 3), ("108", 4), ("200", 5)]
    zones = {
        "binder0": (rendered, "1"),
        "binder1": (rendered, "2"),
        # rendered before binder1 moved to .45; config-agent never re-ran
        "binder3": ([("9", 1), ("46", 3), ("108", 4), ("200", 5)], "4"),
    }
    for name, (servers, myid) in zones.items():
        etc = os.path.join(root, name, "opt/local/etc/zookeeper")
        data = os.path.join(root, name, "zookeeper/zookeeper")
        os.makedirs(etc, exist_ok=True)
        os.makedirs(data, exist_ok=True)
        with open(os.path.join(etc, "zoo.cfg"), "w") as f:
            f.write(zoo_cfg(servers))
        with open(os.path.join(data, "myid"), "w") as f:
            f.write(myid + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--facts":
        sys.stdout.write(FACTS)
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit("usage: make-ghosts.py OUTDIR | --facts")
