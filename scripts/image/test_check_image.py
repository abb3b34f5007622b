"""The image check parses the Dockerfile as Docker does and names each mismatch."""
import contextlib
import io
import os
import pathlib
import shutil
import tempfile
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


class ImageFolderTests(unittest.TestCase):
    """The build step's output folder, copied whole into the image's /usr/local/bin."""

    ROOT = pathlib.Path(__file__).resolve().parents[2]

    def folder(self, links):
        directory = pathlib.Path(tempfile.mkdtemp(prefix="check-image-"))
        self.addCleanup(shutil.rmtree, directory)
        shutil.copy(shutil.which("true"), directory / "omjob")
        for name in links:
            os.symlink("omjob", directory / name)
        return directory

    def test_build_release_links_every_role_and_the_plugin(self):
        links = check_image.build_release("--links")
        self.assertIn("kubectl-omjob", links)
        self.assertEqual(set(check_image.build_release("--list")) - {"omjob"}, set(links) - {"kubectl-omjob"})

    def test_each_link_is_relative_to_omjob(self):
        links = check_image.build_release("--links")
        self.assertEqual(check_image.link_problems(self.folder(links), links), [])
        without = self.folder([name for name in links if name != "kubectl-omjob"])
        self.assertEqual(check_image.link_problems(without, links),
                         [f"kubectl-omjob is missing in {without}: the image needs it as a link to omjob"])
        absolute = self.folder([name for name in links if name != "kubectl-omjob"])
        os.symlink(absolute / "omjob", absolute / "kubectl-omjob")
        self.assertIn("not to 'omjob' beside it", " ".join(check_image.link_problems(absolute, links)))
        copied = self.folder([name for name in links if name != "kubectl-omjob"])
        shutil.copy(copied / "omjob", copied / "kubectl-omjob")
        self.assertIn("kubectl-omjob is not a link", " ".join(check_image.link_problems(copied, links)))

    def test_the_check_fails_when_kubectl_omjob_is_missing(self):
        links = check_image.build_release("--links")
        folder = self.folder([name for name in links if name != "kubectl-omjob"])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = check_image.main([str(self.ROOT / "Dockerfile"), str(folder)])
        self.assertEqual(code, 1)
        self.assertIn("FAIL kubectl-omjob is missing", out.getvalue())
        # A debug build's folder has no plugin link and is not asked for one.
        debug = io.StringIO()
        with contextlib.redirect_stdout(debug):
            check_image.main([str(self.ROOT / "Dockerfile"), str(folder), "--swift-runtime-shared"])
        self.assertNotIn("kubectl-omjob", debug.getvalue())


if __name__ == "__main__":
    unittest.main()
