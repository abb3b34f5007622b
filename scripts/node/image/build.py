#!/usr/bin/env python3
"""Builds the real node's two local images as docker-archive tarballs (the format `docker save`
writes and `ctr images import` reads), from Debian's busybox-static: no registry is needed.

  localhost/omjob-pause:VERSION  the pod sandbox: busybox `sleep`, holding the pod's namespaces
  localhost/omjob-test:VERSION   busybox + omjob-test (this folder), the scenarios' containers

Both share one layer. The tarball is deterministic (mtime 0, sorted), so an unchanged image
imports as the same digest. Usage: build.py OUT.tar
"""
import hashlib
import io
import json
import os
import sys
import tarfile

VERSION = "1"
PAUSE = f"localhost/omjob-pause:{VERSION}"
TEST = f"localhost/omjob-test:{VERSION}"
BUSYBOX = "/bin/busybox"
APPLETS = ["sh", "sleep", "cat", "echo", "env", "dd", "rm", "kill", "grep", "sort", "printf", "test", "[", "true", "false", "ls", "head"]
HERE = os.path.dirname(os.path.abspath(__file__))


def add(tar, name, data=None, mode=0o755, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.mode, info.type, info.linkname, info.mtime = mode, kind, link, 0
    info.size = len(data) if data is not None else 0
    tar.addfile(info, io.BytesIO(data) if data is not None else None)


def layer():
    if not os.access(BUSYBOX, os.X_OK):
        sys.exit(f"images: {BUSYBOX} is missing: apt-get install busybox-static")
    with open(BUSYBOX, "rb") as f:
        busybox = f.read()
    with open(os.path.join(HERE, "omjob-test"), "rb") as f:
        script = f.read()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for folder, mode in [("bin", 0o755), ("etc", 0o755), ("tmp", 0o1777)]:
            add(tar, folder, mode=mode, kind=tarfile.DIRTYPE)
        add(tar, "bin/busybox", busybox)
        for applet in APPLETS:
            add(tar, f"bin/{applet}", kind=tarfile.SYMTYPE, link="busybox")
        add(tar, "bin/omjob-test", script)
        add(tar, "etc/passwd", b"root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n", mode=0o644)
        add(tar, "etc/group", b"root:x:0:\nnogroup:x:65534:\n", mode=0o644)
    return out.getvalue()


def image_config(diff_id, entrypoint, cmd):
    return json.dumps({
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/bin"], "Entrypoint": entrypoint, "Cmd": cmd, "WorkingDir": "/"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }, sort_keys=True).encode()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: build.py OUT.tar")
    data = layer()
    layer_sha = hashlib.sha256(data).hexdigest()
    diff_id = f"sha256:{layer_sha}"
    images = [(PAUSE, ["/bin/sleep", "2147483647"], None), (TEST, ["/bin/omjob-test"], ["main"])]
    manifest, files = [], {f"{layer_sha}/layer.tar": data}
    for tag, entrypoint, cmd in images:
        config = image_config(diff_id, entrypoint, cmd)
        name = hashlib.sha256(config).hexdigest() + ".json"
        files[name] = config
        manifest.append({"Config": name, "RepoTags": [tag], "Layers": [f"{layer_sha}/layer.tar"]})
    files["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(sys.argv[1], "w", format=tarfile.USTAR_FORMAT) as tar:
        add(tar, layer_sha, mode=0o755, kind=tarfile.DIRTYPE)
        for name in sorted(files):
            add(tar, name, files[name], mode=0o644)
    print(f"{PAUSE} {TEST}")


if __name__ == "__main__":
    main()
