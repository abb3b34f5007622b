"""The image check parses the Dockerfile as Docker does and names each mismatch."""
import pathlib
import shutil
import unittest

import check_image

GOOD = """\
FROM swift:6.3.1-bookworm AS build
RUN apt-get update \\
 && apt-get install -y --no-install-recommends libuv1-dev pkg-config
# a comment
RUN scripts/build-release.sh /out /src/.build
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libuv1 tini; rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /usr/local/bin/
USER 65532:65532
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/omjob-supervisor"]
"""


class DockerfileTests(unittest.TestCase):
    def test_stages_and_packages(self):
        (build_name, build), (runtime_name, runtime) = check_image.stages(GOOD)
        self.assertEqual((build_name, runtime_name), ("build", "debian:bookworm-slim"))
        self.assertEqual(check_image.apt_installs(build), ["libuv1-dev", "pkg-config"])
        self.assertEqual(check_image.apt_installs(runtime), ["libuv1", "tini"])

    def test_good_dockerfile_passes(self):
        (_, build), (_, runtime) = check_image.stages(GOOD)
        problems = check_image.dockerfile_problems(build, runtime)
        # libuv1-dev may be missing on a machine; the structural rules must all pass.
        self.assertEqual([p for p in problems if "-dev package" not in p], [])

    def test_each_mismatch_is_named(self):
        cases = [
            ("root user", GOOD.replace("USER 65532:65532", "USER root"), "non-root USER"),
            ("uid 0", GOOD.replace("USER 65532:65532", "USER 0"), "non-root USER"),
            ("no tini", GOOD.replace('"/usr/bin/tini", "--", ', ""), "ENTRYPOINT"),
            ("other build", GOOD.replace("scripts/build-release.sh", "swift build"), "build-release.sh"),
            ("other copy", GOOD.replace("/out/ /usr/local/bin/", "/out/ /opt/"), "COPY --from=build"),
        ]
        for what, dockerfile, word in cases:
            with self.subTest(what):
                (_, build), (_, runtime) = check_image.stages(dockerfile)
                problems = check_image.dockerfile_problems(build, runtime)
                self.assertTrue(any(word in p for p in problems), problems)

    def test_every_target_folder_is_copied(self):
        build = ["COPY Package.swift ./", "COPY Sources ./Sources", "COPY Tests ./Tests", "RUN swift build"]
        manifest = 'path: "Sources/omjob"), path: "Tests/EchoWorker", path: "Benchmarks/OMJobBench"'
        self.assertEqual(check_image.manifest_problems(build, manifest),
                         ["the build stage does not COPY Benchmarks (Package.swift has targets there)"])
        self.assertEqual(check_image.manifest_problems(build + ["COPY Benchmarks ./Benchmarks"], manifest), [])

    @unittest.skipUnless(shutil.which("readelf") and pathlib.Path("/var/lib/dpkg/info").is_dir(), "needs dpkg and readelf")
    def test_library_set_of_a_real_binary(self):
        ls = pathlib.Path(shutil.which("ls")).resolve()
        lib = check_image.package_of(check_image.resolved(ls)["libselinux.so.1"])
        missing = check_image.library_problems([ls], [], swift_runtime_shared=False)
        self.assertTrue(any(f"from package {lib}" in p for p in missing), missing)
        self.assertEqual(check_image.library_problems([ls], [lib], swift_runtime_shared=False), [])
        unneeded = check_image.library_problems([ls], [lib, "libuv1"], swift_runtime_shared=False)
        self.assertEqual(unneeded, ["runtime package libuv1 is installed but no binary needs it"])


if __name__ == "__main__":
    unittest.main()
