#!/usr/bin/env python3
"""Write the hand-written Triton headnode dumps of the zk-stale-address bundle.

    make-dumps.py OUTDIR

Writes into OUTDIR:
  sdc-sapi-applications.json   body of "sdc-sapi /applications?name=sdc"
  vmapi-vms.json               body of "sdc-vmapi /vms?owner_uuid=<admin>&state=active"
  sdc-role-list.txt            "sdc-role list" output
  expected-sapiadm-update.json the update document that fixes ZK_SERVERS

Everything here is invented, shaped after seed 004 and the documented
SAPI/VMAPI objects (formats.md section 7); it is consistent with the
addresses used by scenarios/zk-stale-address.sh.  Deterministic output.
"""
import json
import os
import sys

ADMIN = "930896af-bf8c-48d4-885c-6573a94b1853"      # ufds admin (owner of core VMs)
SDC_APP = "8b7af59b-390e-4537-982e-8bc5584533dd"    # from seed 004's sapiadm call
CLIENT_PORT = 21812

SERVERS = {  # server_uuid -> CNAPI hostname (None: no longer in CNAPI)
    "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c01": "headnode",
    "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c02": "cn2",
    "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c03": None,   # failed CN, replaced
    "564d2a1c-0f3b-4c2e-9a8d-1e2f3a4b5c04": "cn4",
}
HN, CN2, CN3, CN4 = sorted(SERVERS)

IMG = {
    "binder": "0a7b2c6e-3e55-4a3f-8a0e-5c1f2d9b7e10",
    "manatee": "1b8c3d7f-4f66-4b40-9b1f-6d2a3e0c8f21",
    "moray": "2c9d4e80-5077-4c51-8c20-7e3b4f1d9032",
    "sapi": "3dae5f91-6188-4d62-9d31-8f4c5a2e0143",
    "vmapi": "4ebf60a2-7299-4e73-8e42-905d6b3f1254",
    "cnapi": "5fc071b3-83aa-4f84-9f53-a16e7c402365",
    "napi": "60d182c4-94bb-4095-a064-b27f8d513476",
    "ufds": "71e293d5-a5cc-41a6-b175-c3809e624587",
    "sdc": "82f3a4e6-b6dd-42b7-8286-d491af735698",
}

# alias, uuid, role, server, admin ip, ram, state, created, last_modified
VMS = [
    ("binder0", "e0b6fef5-9af1-4b60-9cd8-10b2947a2977", "binder", HN, "127.0.0.56", 1024, "running",
     "2019-03-11T10:22:41.482Z", "2024-02-06T08:14:09.117Z"),
    ("binder1", "3953bf8f-2d0d-4896-8f4d-62c2c054a731", "binder", CN2, "127.0.0.57", 1024, "running",
     "2019-03-12T09:03:17.905Z", "2024-02-06T08:19:52.630Z"),
    # the ghost: destroyed together with its CN, never marked destroyed in VMAPI
    ("binder3", "5f6b1c2e-8d3a-4e7b-9a0c-2b4d6e8f1a35", "binder", CN3, "127.0.0.58", 1024, "running",
     "2019-03-12T09:11:40.228Z", "2021-07-19T22:41:05.771Z"),
    # the replacement created by "sdcadm post-setup ha-binder --allow-delete"
    ("binder3", "d32b44e1-9a44-4fb6-a344-7facc8fb5910", "binder", CN4, "127.0.0.59", 1024, "running",
     "2024-02-06T08:27:33.054Z", "2024-02-06T08:31:12.899Z"),
    ("cnapi0", "c0a80115-2f4e-4d1a-8b3c-0d9e8f7a6b21", "cnapi", HN, "127.0.0.23", 512, "running",
     "2019-03-11T10:25:02.311Z", "2024-02-06T08:05:44.020Z"),
    ("manatee0", "a0d9e7f3-5d4a-4f3e-9a51-1f6a3c2b7e01", "manatee", HN, "127.0.0.31", 2048, "running",
     "2019-03-11T10:20:12.640Z", "2024-02-06T08:02:31.446Z"),
    ("manatee1", "b1e0f804-6e5b-4a4f-8b62-2a7b4d3c8f12", "manatee", CN2, "127.0.0.32", 2048, "running",
     "2019-03-12T08:55:29.017Z", "2024-02-06T08:03:10.558Z"),
    ("moray0", "7cb5f4b8-0f3a-4d8e-9c1d-5e2f6a7b8c90", "moray", HN, "127.0.0.41", 1024, "running",
     "2019-03-11T10:21:33.792Z", "2024-02-06T08:04:27.163Z"),
    ("napi0", "d1b91226-3a5f-4e2b-9c4d-1e0f9a8b7c32", "napi", HN, "127.0.0.24", 512, "running",
     "2019-03-11T10:24:18.503Z", "2024-02-06T08:06:01.378Z"),
    ("sapi0", "e2ca2337-4b60-4f3c-8d5e-2f1a0b9c8d43", "sapi", HN, "127.0.0.21", 512, "running",
     "2019-03-11T10:19:47.266Z", "2024-02-06T08:01:55.904Z"),
    ("sdc0", "f3db3448-5c71-4a4d-9e6f-3a2b1c0d9e54", "sdc", HN, "127.0.0.27", 1024, "running",
     "2019-03-11T10:30:55.839Z", "2024-02-06T08:09:38.245Z"),
    ("ufds0", "04ec4559-6d82-4b5e-8f70-4b3c2d1e0f65", "ufds", HN, "127.0.0.25", 1024, "running",
     "2019-03-11T10:18:20.974Z", "2024-02-06T08:00:49.612Z"),
    ("vmapi0", "15fd566a-7e93-4c6f-9081-5c4d3e2f1a76", "vmapi", HN, "127.0.0.22", 512, "running",
     "2019-03-11T10:23:36.150Z", "2024-02-06T08:05:02.787Z"),
]


def mac_for(ip):
    last = int(ip.split(".")[-1])
    return "90:b8:d0:5e:%02x:%02x" % (last // 256, last % 256)


def vm_object(alias, uuid, role, server, ip, ram, state, created, modified):
    return {
        "uuid": uuid,
        "alias": alias,
        "autoboot": True,
        "brand": "joyent-minimal",
        "create_timestamp": created,
        "destroyed": None,
        "image_uuid": IMG[role],
        "last_modified": modified,
        "max_physical_memory": ram,
        "nics": [{
            "interface": "net0",
            "mac": mac_for(ip),
            "vlan_id": 0,
            "nic_tag": "admin",
            "netmask": "255.255.255.0",
            "ip": ip,
            "ips": [ip + "/24"],
            "primary": True,
        }],
        "owner_uuid": ADMIN,
        "ram": ram,
        "server_uuid": server,
        "state": state,
        "tags": {"smartdc_role": role, "smartdc_type": "core"},
        "zone_state": state,
    }


def zk_servers(hosts):
    out = [{"host": h, "port": CLIENT_PORT, "num": n} for h, n in hosts]
    out[-1]["last"] = True
    return out


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    vms = [vm_object(*v) for v in VMS]

    app = {
        "uuid": SDC_APP,
        "name": "sdc",
        "owner_uuid": ADMIN,
        "params": {},
        "metadata": {
            "datacenter_name": "de-gt-4",
            "dns_domain": "example.com",
            "region_name": "de",
            "ufds_admin_login": "admin",
            "ufds_admin_uuid": ADMIN,
            "ZK_SERVERS": zk_servers([("127.0.0.56", 1), ("127.0.0.57", 3), ("127.0.0.60", 4)]),
        },
        "manifests": {},
    }
    with open(os.path.join(outdir, "sdc-sapi-applications.json"), "w") as f:
        json.dump([app], f, indent=2)
        f.write("\n")

    with open(os.path.join(outdir, "vmapi-vms.json"), "w") as f:
        json.dump(vms, f, indent=2)
        f.write("\n")

    # sdc-role list: one line per active admin-owned VM, sorted on the
    # comma-joined "alias,role,state,uuid,ram,server_uuid" string.
    rows = sorted(vms, key=lambda v: ",".join([v["alias"], v["tags"]["smartdc_role"], v["state"],
                                                v["uuid"], str(v["ram"]), v["server_uuid"]]))
    fmt = "%-12s %-16s %-36s  %-7s %10s %16s %15s\n"
    with open(os.path.join(outdir, "sdc-role-list.txt"), "w") as f:
        f.write(fmt % ("ALIAS", "SERVER", "UUID", "RAM", "STATE", "ROLE", "ADMIN_IP"))
        for v in rows:
            f.write(fmt % (v["alias"], SERVERS[v["server_uuid"]] or "-", v["uuid"], v["ram"],
                           v["state"], v["tags"]["smartdc_role"], v["nics"][0]["ip"]))

    fix = {"metadata": {"ZK_SERVERS": zk_servers([("127.0.0.56", 1), ("127.0.0.57", 3), ("127.0.0.59", 4)])}}
    with open(os.path.join(outdir, "expected-sapiadm-update.json"), "w") as f:
        json.dump(fix, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make-dumps.py OUTDIR")
    main(sys.argv[1])
