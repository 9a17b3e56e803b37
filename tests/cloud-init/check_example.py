#!/usr/bin/python3
"""Checks one cloud-init/ user-data example, as the examples' ctest entries run it.

usage: check_example.py EXAMPLE GUESTBACKUP_BINARY

1. `cloud-init schema --config-file EXAMPLE` (the installed cloud-init, Debian 12's 22.4)
   must call it valid.
2. Every top-level key must be one cloud-init's schema knows: its schema accepts unknown
   top-level keys, so a misspelt module name (`write_file:`) would otherwise pass silently.
3. The files written under /etc/guestbackup are root:root, mode "0600", and deferred until
   the packages are installed (so /etc/guestbackup keeps the package's 0700).
4. The policy it writes passes `guestbackup policy check`.
5. It installs the guestbackup package, installs the timers and runs one of the policy's
   jobs.
Prints one line per finding and exits 1 when there is any.
"""
import os
import subprocess
import sys
import tempfile

import yaml
from cloudinit.config.schema import get_schema

POLICY = "/etc/guestbackup/policy.yaml"


def schema_top_level_keys():
    schema = get_schema()
    keys = set()
    for ref in schema["allOf"]:
        name = ref["$ref"].rsplit("/", 1)[-1]
        keys.update(schema["$defs"][name].get("properties", {}))
    return keys


def command_words(entry):
    return entry if isinstance(entry, list) else str(entry).split()


def check(example, guestbackup):
    problems = []
    with open(example, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("#cloud-config\n"):
        problems.append("the first line is not #cloud-config")

    schema = subprocess.run(["cloud-init", "schema", "--config-file", example],
                            capture_output=True, text=True)
    if schema.returncode != 0:
        problems.append("cloud-init schema: " + (schema.stdout + schema.stderr).strip())

    config = yaml.safe_load(text)
    known = schema_top_level_keys()
    for key in config:
        if key not in known:
            problems.append(f"top-level key {key!r} is not in cloud-init's schema")

    files = {entry["path"]: entry for entry in config.get("write_files", [])}
    for path, entry in files.items():
        if not path.startswith("/etc/guestbackup/"):
            continue
        for field, want in (("owner", "root:root"), ("permissions", "0600"), ("defer", True)):
            if entry.get(field) != want:
                problems.append(f"write_files {path}: {field} is {entry.get(field)!r}, "
                                f"expected {want!r}")

    jobs = set()
    if POLICY not in files:
        problems.append(f"write_files has no {POLICY}")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            policy_file = os.path.join(tmp, "policy.yaml")
            with open(policy_file, "w", encoding="utf-8") as f:
                f.write(files[POLICY]["content"])
            os.chmod(policy_file, 0o600)
            checked = subprocess.run([guestbackup, "policy", "check", "--no-local-files", policy_file],
                                     capture_output=True, text=True)
            if checked.returncode != 0:
                problems.append("guestbackup policy check: " +
                                (checked.stdout + checked.stderr).strip())
        jobs = set((yaml.safe_load(files[POLICY]["content"]) or {}).get("jobs", {}))

    if "guestbackup" not in config.get("packages", []):
        problems.append("packages does not install guestbackup")
    commands = [command_words(c) for c in config.get("runcmd", [])]
    if ["guestbackup", "schedule", "install"] not in commands:
        problems.append("runcmd has no `guestbackup schedule install`")
    runs = [c[2] for c in commands if c[:2] == ["guestbackup", "run"] and len(c) == 3]
    if not runs:
        problems.append("runcmd runs no first backup (`guestbackup run JOB`)")
    for job in runs:
        if job not in jobs:
            problems.append(f"runcmd runs job {job!r}, which the policy does not have")
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    example = sys.argv[1]
    problems = check(example, sys.argv[2])
    for problem in problems:
        print(f"{example}: {problem}")
    if not problems:
        print(f"{example}: valid cloud-config; policy checked; installs, schedules, backs up")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
