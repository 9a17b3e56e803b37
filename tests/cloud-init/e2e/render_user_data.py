#!/usr/bin/python3
"""Turns a cloud-init/ example into the user-data scripts/e2e-guest boots with.

usage: render_user_data.py EXAMPLE OUT

Only the values the example tells the reader to change are replaced, each as plain text, so
the guest runs the example's own text: the apt source URL and repository key (environment
E2E_APT_URL, E2E_APT_KEY_FILE: the armored key), and, when E2E_SERVER_URL is set, the
server URL, fingerprint and password (E2E_SERVER_URL, E2E_FINGERPRINT, E2E_PASSWORD: the
environment, never argv). A placeholder the example should have but does not is an error:
the example and this test have drifted apart.
"""
import os
import re
import sys

APT_URL = "https://apt.example.com/guestbackup"
SERVER_URL = "https://bsls-sample.openshift-adp.svc:51515"
FINGERPRINT = "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f"
PASSWORD = "CHANGE-the-password-of-web01-at-prod-vms"
KEY_BLOCK = re.compile(r"^( *)-----BEGIN PGP PUBLIC KEY BLOCK-----\n.*?"
                       r"^ *-----END PGP PUBLIC KEY BLOCK-----\n", re.M | re.S)


def replace(text, old, new, what):
    if old not in text:
        sys.exit(f"render_user_data: the example has no {what} ({old!r})")
    return text.replace(old, new)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    example, out = sys.argv[1:]
    with open(example, encoding="utf-8") as f:
        text = f.read()
    with open(os.environ["E2E_APT_KEY_FILE"], encoding="utf-8") as f:
        apt_key = f.read()

    text = replace(text, APT_URL, os.environ["E2E_APT_URL"], "apt source URL")
    match = KEY_BLOCK.search(text)
    if not match:
        sys.exit("render_user_data: the example has no armored repository key block")
    indent = match.group(1)
    key = "".join(indent + line if line.strip() else "\n"
                  for line in apt_key.strip().splitlines(keepends=True)) + "\n"
    text = text[:match.start()] + key + text[match.end():]
    if os.environ.get("E2E_SERVER_URL"):
        text = replace(text, SERVER_URL, os.environ["E2E_SERVER_URL"], "server URL")
        text = replace(text, FINGERPRINT, os.environ["E2E_FINGERPRINT"], "fingerprint")
        text = replace(text, PASSWORD, os.environ["E2E_PASSWORD"], "password")
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
