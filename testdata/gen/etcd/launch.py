#!/usr/bin/env python3
"""Start etcd on a generated host the way its service manager would.

Runs inside the host's mount and UTS namespaces (hosts.sh node_ns), reads the
host's own configuration files at their usual paths and execs the command they
describe, so the configuration in a bundle is the one etcd really ran with:

  systemd   etcd.service from /etc/systemd/system (else the Debian unit in
            /lib/systemd/system) with its drop-ins in
            /etc/systemd/system/etcd.service.d/*.conf: Environment=,
            EnvironmentFile= (a leading '-' makes it optional), the last
            ExecStart= (an empty one resets), the %H %p %n %% specifiers,
            $VAR split into words and ${VAR} as one word (systemd.exec(5),
            systemd.unit(5))
  kubeadm   the container command: list of /etc/kubernetes/manifests/etcd.yaml
            (what kubelet runs for the static pod)

usage: launch.py systemd|kubeadm [--print] [ARG ...]
The ARGs are appended to the command line (one-off flags typed by the
operator).  The process keeps its pid (exec), so the caller can signal it.
"""
import glob
import os
import re
import shlex
import socket
import sys

UNIT = "etcd.service"


def specifiers(text):
    host = socket.gethostname()
    return re.sub(r"%([%Hpn])", lambda m: {"%": "%", "H": host, "p": "etcd",
                                             "n": UNIT}[m.group(1)], text)


def unit_settings(path):
    """(section, key, value) of a unit file, continuation lines joined."""
    section = None
    pending = ""
    with open(path) as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if pending:
                line = pending + " " + line.lstrip()
                pending = ""
            if line.endswith("\\"):
                pending = line[:-1].rstrip()
                continue
            s = line.strip()
            if not s or s[0] in "#;":
                continue
            if s.startswith("[") and s.endswith("]"):
                section = s[1:-1]
                continue
            key, sep, val = s.partition("=")
            if sep:
                yield section, key.strip(), val.strip()


def env_file(path, env):
    with open(path) as fh:
        for raw in fh:
            s = raw.strip()
            if not s or s[0] in "#;":
                continue
            if s.startswith("export "):
                s = s[7:].lstrip()
            key, sep, val = s.partition("=")
            if not sep:
                continue
            words = shlex.split(val, comments=False) if val else [""]
            env[key.strip()] = " ".join(words)


def expand_exec(line, env):
    argv = []
    for word in shlex.split(line):
        m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if m:
            argv.extend(env.get(m.group(1), "").split())
            continue
        argv.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}",
                           lambda mm: env.get(mm.group(1), ""), word))
    return argv


def systemd_command():
    main = "/etc/systemd/system/" + UNIT
    if not os.path.exists(main):
        main = "/lib/systemd/system/" + UNIT
    files = [main] + sorted(glob.glob("/etc/systemd/system/%s.d/*.conf" % UNIT))
    env, env_files, exec_start = {}, [], []
    for path in files:
        for section, key, val in unit_settings(path):
            if section != "Service":
                continue
            val = specifiers(val)
            if key == "Environment":
                for word in shlex.split(val):
                    k, _, v = word.partition("=")
                    env[k] = v
            elif key == "EnvironmentFile":
                if val:
                    env_files.append(val)
                else:
                    env_files = []
            elif key == "ExecStart":
                exec_start = [val] if val else []
    for spec in env_files:
        optional = spec.startswith("-")
        path = spec.lstrip("-")
        if optional and not os.path.exists(path):
            continue
        env_file(path, env)
    if not exec_start:
        sys.exit("launch.py: no ExecStart= in %s" % ", ".join(files))
    argv = expand_exec(exec_start[-1].lstrip("-@:+!"), env)
    return argv, env


def kubeadm_command():
    path = "/etc/kubernetes/manifests/etcd.yaml"
    argv, indent = [], None
    with open(path) as fh:
        for raw in fh:
            if indent is None:
                m = re.match(r"^(\s*)(?:-\s+)?command:\s*$", raw)
                if m:
                    indent = len(m.group(1))
                continue
            m = re.match(r"^(\s*)-\s+(.*?)\s*$", raw)
            if not m or len(m.group(1)) < indent:
                break
            argv.append(m.group(2).strip("'\""))
    if not argv:
        sys.exit("launch.py: no command: list in " + path)
    return argv, {}


def main():
    args = sys.argv[1:]
    show = "--print" in args
    args = [a for a in args if a != "--print"]
    if not args or args[0] not in ("systemd", "kubeadm"):
        sys.exit(__doc__)
    argv, env = (systemd_command if args[0] == "systemd" else kubeadm_command)()
    argv += args[1:]
    if argv[0] in ("etcd", "/usr/local/bin/etcd"):
        argv[0] = "/usr/bin/etcd"
    run_env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"}
    run_env.update(env)
    if show:
        print(" ".join(shlex.quote(a) for a in argv))
        for k in sorted(env):
            print("%s=%s" % (k, env[k]))
        return
    os.nice(10)
    sys.stdout.flush()
    os.execve(argv[0], argv, run_env)


if __name__ == "__main__":
    main()
