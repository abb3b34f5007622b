#!/usr/bin/env python3
"""Checks that the documentation stays true to the repository:

- every relative link in a Markdown file names a file that exists, and its `#anchor` a heading
  of that file (GitHub's heading ids);
- every `docs/NAME.md#anchor` cited in code, manifests or scripts names an existing heading;
- nothing cites a design or style document outside the repository;
- README.md shows the two commands (`make sandbox`, `make test`);
- the layers table of docs/architecture.md names exactly the targets of Package.swift (tests aside);
- the settings table of docs/reference.md is the one scripts/docs/settings-table.py prints
  (needs the built omjob-supervisor; skipped with --no-settings).

Usage: scripts/docs/check-docs.py [--no-settings] [BIN_DIR]   (exit 1 and one line per problem)
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP_DIRS = {".git", ".build", "node_modules", "__pycache__"}
TEXT_SUFFIXES = (".swift", ".md", ".py", ".sh", ".yaml", ".yml", ".json", ".txt", ".tpl")
TEXT_NAMES = {"Package.swift", "Dockerfile", "Makefile", "run", "omjob-frame"}
LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)\)")
CITED = re.compile(r"docs/([\w.-]+\.md)#([\w-]+)")
OUTSIDE = re.compile(r"\b(DESIGN|STYLE)\.md\b")


def files():
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".build-")]
        for name in filenames:
            if name.endswith(TEXT_SUFFIXES) or name in TEXT_NAMES:
                yield os.path.join(dirpath, name)


def slug(heading):
    """GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]|<[^>]+>", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        ids, seen, fenced = set(), {}, False
        for line in open(path, encoding="utf-8"):
            if line.startswith("```"):
                fenced = not fenced
            match = None if fenced else re.match(r"#{1,6} (.+)", line)
            if match:
                base = slug(match.group(1))
                count = seen.get(base, 0)
                seen[base] = count + 1
                ids.add(base if count == 0 else f"{base}-{count}")
        cache[path] = ids
    return cache[path]


def check_links(path, text, problems):
    rel = os.path.relpath(path, ROOT)
    for target in LINK.findall(re.sub(r"```.*?```", "", text, flags=re.S)):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked offline
        file_part, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
        if not os.path.exists(dest):
            problems.append(f"{rel}: link to {target}: no such file")
        elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
            problems.append(f"{rel}: link to {target}: no heading #{anchor} in {os.path.relpath(dest, ROOT)}")


def check_layers(problems):
    """Every library and executable target of Package.swift, and no other, in the Layers table."""
    manifest = open(os.path.join(ROOT, "Package.swift"), encoding="utf-8").read()
    targets = set()
    for match in re.finditer(r'\.(target|executableTarget)\(\s*name:\s*"([^"]+)"(.*?)path:\s*"([^"]+)"', manifest, re.S):
        if not match.group(4).startswith("Tests/"):
            targets.add(match.group(2))
    doc = open(os.path.join(ROOT, "docs", "architecture.md"), encoding="utf-8").read()
    section = doc.split("\n## Layers\n", 1)[-1].split("\n## ", 1)[0]
    named = set()
    for row in section.splitlines():
        cells = row.split("|")
        if len(cells) > 3 and cells[2].strip() not in ("target", "---"):
            named.update(re.findall(r"`([\w-]+)`", cells[2]))
    for name in sorted(targets - named):
        problems.append(f"docs/architecture.md: the Layers table does not name the target {name} of Package.swift")
    for name in sorted(named - targets):
        problems.append(f"docs/architecture.md: the Layers table names {name}, which is not a target of Package.swift")


def main():
    args = sys.argv[1:]
    settings = "--no-settings" not in args
    args = [a for a in args if a != "--no-settings"]
    problems = []
    for path in files():
        rel = os.path.relpath(path, ROOT)
        try:
            text = open(path, encoding="utf-8").read()
        except UnicodeDecodeError:
            continue
        if rel == "scripts/docs/check-docs.py":
            continue
        if OUTSIDE.search(text):
            problems.append(f"{rel}: cites {OUTSIDE.search(text).group(0)}, which is not in the repository; cite docs/architecture.md")
        if path.endswith(".md"):
            check_links(path, text, problems)
        for doc, anchor in CITED.findall(text):
            target = os.path.join(ROOT, "docs", doc)
            if not os.path.exists(target):
                problems.append(f"{rel}: cites docs/{doc}, which does not exist")
            elif anchor not in anchors(target):
                problems.append(f"{rel}: cites docs/{doc}#{anchor}: no such heading")
    check_layers(problems)
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    for command in ("make sandbox", "make test"):
        if command not in readme:
            problems.append(f"README.md: does not show `{command}`")
    if settings:
        table = [sys.executable, os.path.join(ROOT, "scripts", "docs", "settings-table.py"), "--check"] + args[:1]
        result = subprocess.run(table, capture_output=True, text=True)
        if result.returncode != 0:
            problems.append((result.stderr or result.stdout).strip())
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
