"""Checks the Dockerfile against binaries built here, since no Docker engine can build it.

  check_image.py DOCKERFILE BIN_DIR [--swift-runtime-shared]

1. The Dockerfile builds with scripts/build-release.sh (the script this machine ran) and
   its ENTRYPOINT is tini then the supervisor, copied from the build stage.
2. Every shared library the binaries need (readelf NEEDED) belongs to a package of the base
   image or of the runtime stage's `apt-get install` list, and every library package on that
   list is needed by some binary: the list is exactly what the binaries link.
3. Everything ldd resolves comes from those packages or their Debian dependencies, nothing
   is "not found", and nothing comes from the Swift toolchain (the runtime is static).
   --swift-runtime-shared accepts toolchain libraries, for a debug build's binaries
   (same C libraries, Swift runtime linked dynamically): a fast check that CI can afford.
4. For each runtime library package, the build stage installs a -dev package depending on it.
5. BIN_DIR is the image's folder (the build step's output, copied whole to /usr/local/bin):
   every name scripts/build-release.sh --links prints (the roles and kubectl-omjob) is there as
   a relative link to omjob, so the image has each role and `kubectl omjob` finds its plugin.
   Not checked with --swift-runtime-shared, whose BIN_DIR is a debug build's folder (one
   product per role, no kubectl-omjob).
"""
import functools
import pathlib
import re
import shlex
import subprocess
import sys

# In debian:bookworm-slim already: the C and C++ runtimes that apt and dpkg themselves use.
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
# Runtime packages that are not libraries, and why each is there.
NOT_LIBRARIES = {
    "ca-certificates": "TLS trust store",
    "tzdata": "CronOMJob timeZone names",
    "tini": "PID 1",
}
SWIFT_TOOLCHAIN = re.compile(r"/(swift|swiftlang)[^ ]*/|libswift|libFoundation|lib_FoundationICU|libdispatch|libBlocksRuntime")


def stages(dockerfile_text):
    """[(name, [instruction lines])] with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile_text)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            words = line.split()
            found.append((words[3] if len(words) > 3 and words[2].upper() == "AS" else words[1], []))
        elif found:
            found[-1][1].append(line)
    return found


def apt_installs(instructions):
    """Packages named by `apt-get install` in a stage's RUN lines."""
    packages = []
    for line in instructions:
        if not line.upper().startswith("RUN "):
            continue
        for command in re.split(r"&&|;", line[4:]):
            words = shlex.split(command)
            if words[:2] == ["apt-get", "install"]:
                packages += [w for w in words[2:] if not w.startswith("-")]
    return packages


@functools.lru_cache(maxsize=None)
def file_owners():
    """{path: package} from dpkg's file lists (one read instead of a dpkg -S per library)."""
    owners = {}
    for listing in pathlib.Path("/var/lib/dpkg/info").glob("*.list"):
        package = listing.stem.split(":")[0]
        for path in listing.read_text(errors="replace").splitlines():
            owners[path] = package
    return owners


def package_of(path):
    """The Debian package owning a library path (usr-merged paths tried both ways)."""
    owners = file_owners()
    for candidate in (path, str(pathlib.Path(path).resolve())):
        for variant in (candidate, candidate[4:] if candidate.startswith("/usr/") else "/usr" + candidate):
            if variant in owners:
                return owners[variant]
    return None


@functools.lru_cache(maxsize=None)
def installed():
    """{package: [[alternative, ...] per dependency]} for every package installed here."""
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Depends}, ${Pre-Depends}\n"],
                         capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        package, _, depends = line.partition("\t")
        table[package] = [[o.strip().split(" ")[0].split(":")[0] for o in a.split("|")]
                          for a in depends.split(",") if a.strip()]
    return table


def depends_closure(packages):
    """The packages plus everything they depend on, as installed here (the first installed
    alternative of each dependency)."""
    table = installed()
    seen, todo = set(), list(packages)
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        for alternatives in table.get(package, []):
            todo += [name for name in alternatives if name in table][:1]
    return seen


def needed(binary):
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def resolved(binary):
    """{soname: path or None} from ldd."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+(not found|\S+)", line)
        if match:
            found[match.group(1)] = None if match.group(2) == "not found" else match.group(2)
        elif line.strip().startswith("/"):
            found[pathlib.Path(line.split()[0]).name] = line.split()[0]
    return found


def dockerfile_problems(build, runtime):
    """Build-stage and entrypoint rules (1 and 4)."""
    problems = []
    build_runs = " ".join(build)
    if "scripts/build-release.sh" not in build_runs:
        problems.append("the build stage does not run scripts/build-release.sh")
    entrypoint = next((l for l in runtime if l.upper().startswith("ENTRYPOINT")), "")
    if not re.search(r'"/usr/bin/tini",\s*"--",\s*"/usr/local/bin/omjob-supervisor"', entrypoint):
        problems.append(f"ENTRYPOINT must be tini -- /usr/local/bin/omjob-supervisor, is {entrypoint!r}")
    if not any(re.match(r"USER\s+[1-9][0-9]*(:[1-9][0-9]*)?$", l) for l in runtime):
        problems.append("the runtime stage must end as a numeric non-root USER")
    if not any(l.startswith("COPY --from=build /out/ /usr/local/bin/") for l in runtime):
        problems.append("the runtime stage must COPY --from=build /out/ /usr/local/bin/")
    dev_packages = apt_installs(build)
    for package in set(apt_installs(runtime)) - set(NOT_LIBRARIES):
        if not any(package in depends_closure([dev]) for dev in dev_packages):
            problems.append(f"no -dev package of the build stage depends on runtime package {package}")
    return problems


def manifest_problems(build, package_swift):
    """Every folder Package.swift names a target in must reach the build stage: SwiftPM checks
    every target's path when it loads the manifest, so one missing folder fails the build."""
    copied = {re.sub(r"^\./", "", l.split()[1]).rstrip("/") for l in build if l.startswith("COPY ") and "--from" not in l}
    needed = sorted(set(re.findall(r'path:\s*"([^"/]+)/', package_swift)))
    return [f"the build stage does not COPY {folder} (Package.swift has targets there)" for folder in needed if folder not in copied]


def library_problems(binaries, runtime_packages, swift_runtime_shared):
    """Rules 2 and 3 over every binary."""
    problems, used = [], set()
    allowed = depends_closure(BASE_PACKAGES | set(runtime_packages))
    for binary in binaries:
        paths = resolved(binary)
        for soname in needed(binary):
            path = paths.get(soname)
            if path is None:
                problems.append(f"{binary.name}: {soname} not found")
            elif SWIFT_TOOLCHAIN.search(path):
                if not swift_runtime_shared:
                    problems.append(f"{binary.name}: {soname} comes from the Swift toolchain ({path}): not static")
            else:
                package = package_of(path)
                used.add(package)
                if package not in BASE_PACKAGES and package not in runtime_packages:
                    problems.append(f"{binary.name}: needs {soname} from package {package}, not in the runtime stage")
        for soname, path in paths.items():
            if path and not SWIFT_TOOLCHAIN.search(path) and package_of(path) not in allowed:
                problems.append(f"{binary.name}: loads {soname} from {package_of(path)}, which no runtime package brings")
    for package in set(runtime_packages) - set(NOT_LIBRARIES) - used:
        problems.append(f"runtime package {package} is installed but no binary needs it")
    return problems


BUILD_RELEASE = pathlib.Path(__file__).resolve().parents[1] / "build-release.sh"
PROGRAM = "omjob"


def build_release(option):
    """The names scripts/build-release.sh prints for --list or --links."""
    return subprocess.run([str(BUILD_RELEASE), option], capture_output=True, text=True, check=True).stdout.split()


def link_problems(bin_dir, links):
    """Rule 5: each of `links` in bin_dir is a relative symbolic link to the program beside it."""
    problems = []
    for name in links:
        path = bin_dir / name
        if not path.is_symlink():
            what = "is not a link" if path.exists() else "is missing"
            problems.append(f"{name} {what} in {bin_dir}: the image needs it as a link to {PROGRAM}")
        elif (target := str(path.readlink())) != PROGRAM:
            problems.append(f"{name} in {bin_dir} links to {target!r}, not to {PROGRAM!r} beside it")
    return problems


def main(argv):
    dockerfile, bin_dir = pathlib.Path(argv[0]), pathlib.Path(argv[1])
    swift_runtime_shared = "--swift-runtime-shared" in argv
    found = stages(dockerfile.read_text())
    if len(found) < 2:
        print(f"FAIL {dockerfile}: expected a build stage and a runtime stage")
        return 1
    (_, build), (_, runtime) = found[0], found[-1]
    binaries = [bin_dir / p for p in build_release("--list")]
    links = [] if swift_runtime_shared else link_problems(bin_dir, build_release("--links"))
    missing = [b for b in binaries if not b.exists()]
    if missing or links:
        for problem in links:
            print(f"FAIL {problem}")
        if missing:
            print(f"FAIL missing binaries: {', '.join(map(str, missing))}")
        return 1
    runtime_packages = apt_installs(runtime)
    package_swift = (dockerfile.parent / "Package.swift").read_text()
    problems = (dockerfile_problems(build, runtime) + manifest_problems(build, package_swift)
                + library_problems(binaries, runtime_packages, swift_runtime_shared))
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        libs = sorted(set(runtime_packages) - set(NOT_LIBRARIES))
        print(f"ok   {len(binaries)} binaries need exactly {', '.join(libs)} (+ base {', '.join(sorted(BASE_PACKAGES))})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
