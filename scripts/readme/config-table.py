#!/usr/bin/env python3
"""Prints the README's configuration table from the code's one settings table, so it stays true:
`omjob-supervisor --help` (Sources/Shared/Config/Settings.swift; a `[watcher]` or `[gc]` after a
name says which process the setting is for). Fails loudly if the help changed shape.

Usage: scripts/readme/config-table.py [BIN_DIR]   (BIN_DIR: where omjob-supervisor is; default .build/debug)
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def settings(bin_dir):
    """(name, default, meaning, read by) from the ENVIRONMENT section of `omjob-supervisor --help`."""
    text = subprocess.run([os.path.join(bin_dir, "omjob-supervisor"), "--help"], capture_output=True, text=True, check=True).stdout
    body = text.split("ENVIRONMENT:", 1)[1].split("A bad value", 1)[0]
    rows = []
    for block in re.split(r"\n  (?=[A-Z])", "\n" + body.strip("\n")):
        block = block.strip()
        if not block:
            continue
        head, _, help_text = block.partition("\n")
        match = re.match(r"([A-Z0-9_]+)(?: \(default: (.*?)\))?(?: \[(\w+)\])?$", head.strip())
        if not match:
            sys.exit(f"config-table: cannot read --help block {head!r}")
        default = match.group(2) if match.group(2) != "empty" else ""
        rows.append((match.group(1), default, " ".join(help_text.split()), match.group(3) or "every process"))
    return rows


def main():
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug")
    rows = settings(bin_dir)
    print("| variable | default | read by | meaning |")
    print("|---|---|---|---|")
    for name, default, meaning, reader in rows:
        print(f"| `{name}` | {('`' + default + '`') if default else '—'} | {reader} | {meaning.replace('|', '/')} |")


if __name__ == "__main__":
    main()
