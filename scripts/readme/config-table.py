#!/usr/bin/env python3
"""Prints the README's configuration table from the code's own settings tables, so it stays true:
`omjob-supervisor --help` (Sources/Shared/Config/Settings.swift, read by every process),
RunSettings (Sources/watcher/Lib/Decision/RunSettings.swift: the watcher's run limits) and
GCSettings (Sources/gc/Lib/GCSettings*.swift). Fails loudly if a table changed shape.

Usage: scripts/readme/config-table.py [BIN_DIR]   (BIN_DIR: where omjob-supervisor is; default .build/debug)
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def supervisor_settings(bin_dir):
    """(name, default, meaning) from the ENVIRONMENT section of `omjob-supervisor --help`."""
    text = subprocess.run([os.path.join(bin_dir, "omjob-supervisor"), "--help"], capture_output=True, text=True, check=True).stdout
    body = text.split("ENVIRONMENT:", 1)[1].split("A bad value", 1)[0]
    rows = []
    for block in re.split(r"\n  (?=[A-Z])", "\n" + body.strip("\n")):
        block = block.strip()
        if not block:
            continue
        head, _, help_text = block.partition("\n")
        match = re.match(r"([A-Z0-9_]+)(?: \(default: (.*)\))?$", head.strip())
        if not match:
            sys.exit(f"config-table: cannot read --help block {head!r}")
        rows.append((match.group(1), match.group(2) if match.group(2) != "empty" else "",  " ".join(help_text.split()), "every process"))
    return rows


def doc_before(lines, index):
    """The `///` comment lines just above lines[index], joined."""
    doc = []
    while index > 0 and lines[index - 1].strip().startswith("///"):
        index -= 1
        doc.insert(0, lines[index].strip()[3:].strip())
    return " ".join(doc)


def run_settings():
    path = os.path.join(ROOT, "Sources/watcher/Lib/Decision/RunSettings.swift")
    lines = open(path).read().split("\n")
    props = {}
    for i, line in enumerate(lines):
        match = re.match(r"\s*public var (\w+)(?:: \w+)? = ([\d.]+)$", line)
        if match:
            props[match.group(1)] = (match.group(2), doc_before(lines, i))
    rows = []
    for name, prop in re.findall(r'\("(OMJOB_[A-Z_]+)", \\\.(\w+)\)', "\n".join(lines)):
        default, doc = props[prop]
        if not doc and prop == "exitHandlerMaxBackoff":
            doc = "Cap of the exit handler's retry delay: the first delay is " + props["exitHandlerBackoff"][1].split("; ")[-1].rstrip(".") + "."
        rows.append((name, default, doc + " Seconds (the OMJob's matching spec field, where it has one, wins).", "watcher"))
    key = re.search(r'backoffLimitKey = "(\w+)"', "\n".join(lines)).group(1)
    default, doc = props["exitHandlerBackoffLimit"]
    rows.append((key, default, doc + " (The OMJob's matching spec field, where it has one, wins.)", "watcher"))
    return rows


def gc_settings():
    path = os.path.join(ROOT, "Sources/gc/Lib/GCSettings+Environment.swift")
    lines = open(path).read().split("\n")
    rows = []
    for i, line in enumerate(lines):
        match = re.match(r'\s*public static let \w+ = "(OMJOB_GC_\w+)"', line)
        if match:
            doc = doc_before(lines, i)
            default = re.search(r"\(default (\w+)\)", doc)
            rows.append((match.group(1), default.group(1) if default else "", re.sub(r" ?\(default \w+\)", "", doc), "gc"))
    return rows


def main():
    bin_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug")
    rows = supervisor_settings(bin_dir) + run_settings() + gc_settings()
    print("| variable | default | read by | meaning |")
    print("|---|---|---|---|")
    for name, default, meaning, reader in rows:
        print(f"| `{name}` | {('`' + default + '`') if default else '—'} | {reader} | {meaning.replace('|', '/')} |")


if __name__ == "__main__":
    main()
