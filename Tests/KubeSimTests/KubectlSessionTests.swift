import Foundation
import KubeJSON
import Spawn
import Testing

@testable import KubeSim

/// A real kubectl against kubesim: discovery, apply, get, create, patch (incl. status),
/// wait and delete. Skipped, with a message, only when kubectl is not installed.
@Suite(.serialized) struct KubectlSessionTests {
    static let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func kubectlSessionOnOMJobsAndPods() async throws {
        guard let kubectl = Self.kubectl else {
            print("KubectlSessionTests: kubectl not found in /usr/bin or /usr/local/bin; kubectl session test SKIPPED")
            return
        }
        let crds = try #require(OMJobCRDTests.repositoryCRDs(), "deploy/crds not found")
        let sim = try await KubeSimServer.start(.init(crdDirectory: crds, threads: 1))
        let session = try KubectlSession(kubectl: kubectl, server: sim.baseURL, token: nil)
        defer { session.cleanUp() }
        do {
            try await runSession(session, sim)
        } catch {
            try? await sim.shutdown()
            throw error
        }
        try await sim.shutdown()
    }

    @Test func kubectlSendsItsTokenOverTLS() async throws {
        guard let kubectl = Self.kubectl else {
            print("KubectlSessionTests: kubectl not found; TLS session SKIPPED")
            return
        }
        guard let (cert, key) = try TestCertificate.make() else {
            print("KubectlSessionTests: openssl not found; TLS session SKIPPED")
            return
        }
        // kubectl only sends bearer tokens over TLS, so a token-protected kubesim needs --tls-cert.
        let sim = try await KubeSimServer.start(
            .init(token: "s3cret", tlsCertificatePath: cert, tlsKeyPath: key, threads: 1))
        let session = try KubectlSession(kubectl: kubectl, server: sim.baseURL, token: "s3cret")
        defer { session.cleanUp() }
        let output: String
        do {
            output = try await session.run("get", "namespaces", "-o", "name")
        } catch {
            try? await sim.shutdown()
            throw error
        }
        try await sim.shutdown()
        #expect(output.contains("namespace/default"))
    }

    private func runSession(_ k: KubectlSession, _ sim: KubeSimServer) async throws {
        #expect(try await k.run("get", "--raw", "/version").contains(Discovery.gitVersion))
        let resources = try await k.run("api-resources")
        #expect(resources.contains("omjobs") && resources.contains("omj") && resources.contains("cronomjobs"))
        let manifest = try k.write(
            "omjob.yaml",
            """
            apiVersion: pipelines.openmetadata.org/v1
            kind: OMJob
            metadata:
              name: run-1
            spec:
              mainPodSpec:
                image: openmetadata/ingestion:1.5
                serviceAccountName: ingestion
                command: [python, main.py]
            """)
        #expect(try await k.run("apply", "-f", manifest).contains("omjob.pipelines.openmetadata.org/run-1 created"))
        #expect(try await k.run("apply", "-f", manifest).contains("unchanged"))
        #expect(try await k.run("get", "omjobs").contains("run-1"))
        #expect(try await k.run("get", "omj", "run-1", "-o", "jsonpath={.spec.ttlSecondsAfterFinished}") == "86400")
        _ = try await k.run(
            "patch", "omjob", "run-1", "--subresource=status", "--type=merge", "-p",
            #"{"status":{"phase":"Running","bogus":1}}"#)
        let status = try sim.store.get(OMJobCRDTests.omjobs, namespace: "default", name: "run-1")["status"]
        #expect(status == ["phase": "Running"])
        _ = try await k.run("wait", "--for=jsonpath={.status.phase}=Running", "omjob/run-1", "--timeout=10s")
        _ = try await k.run("create", "namespace", "team")
        let pod = try k.write(
            "pod.yaml",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p1, namespace: team}
            spec:
              containers: [{name: main, image: busybox:1.36}]
            """)
        #expect(try await k.run("create", "-f", pod).contains("pod/p1 created"))
        _ = try await k.run("patch", "pod", "p1", "-n", "team", "-p", #"{"metadata":{"labels":{"stage":"one"}}}"#)
        #expect(try sim.store.get(.pods, namespace: "team", name: "p1").labels["stage"] == "one")
        #expect(try await k.run("get", "pods", "-n", "team", "-l", "stage=one", "-o", "name") == "pod/p1")
        #expect(try await k.run("delete", "omjob", "run-1").contains("deleted"))
        _ = try await k.run("delete", "pod", "p1", "-n", "team", "--wait=false")
        _ = try await k.run("wait", "--for=delete", "pod/p1", "-n", "team", "--timeout=10s")
        #expect(try await k.run("delete", "namespace", "team").contains("deleted"))
        #expect((try? sim.store.get(.namespaces, namespace: nil, name: "team")) == nil)
    }
}

/// A temporary kubeconfig and a way to run kubectl with it.
struct KubectlSession {
    let kubectl: String
    let directory: URL

    init(kubectl: String, server: String, token: String?) throws {
        self.kubectl = kubectl
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let user = token.map { "    token: \($0)\n" } ?? "    {}\n"
        let config = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kubesim
              cluster:
                server: \(server)
                insecure-skip-tls-verify: true
            users:
            - name: tester
              user:
            \(user)contexts:
            - name: kubesim
              context: {cluster: kubesim, user: tester, namespace: default}
            current-context: kubesim
            """
        try config.write(to: directory.appendingPathComponent("kubeconfig"), atomically: true, encoding: .utf8)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Runs kubectl; throws with its stderr when it exits non-zero. Returns trimmed stdout.
    /// Started with `SpawnedProcess`, not `Process` (see SpawnedProcess for the descriptor-count
    /// crash); output goes to files, and the wait polls without holding a thread.
    func run(_ arguments: String...) async throws -> String {
        let out = directory.appendingPathComponent("kubectl.out").path
        let err = directory.appendingPathComponent("kubectl.err").path
        for path in [out, err] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let process = try SpawnedProcess(
            executable: kubectl, arguments: arguments.filter { $0 != "--" } + ["--request-timeout=20s"],
            environment: [
                "KUBECONFIG": directory.appendingPathComponent("kubeconfig").path,
                "HOME": directory.path, "PATH": "/usr/bin:/bin",
            ],
            stdout: .file(out), stderr: .file(err))
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        let status = process.terminationStatus ?? -1
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        guard status == 0 else { throw KubectlFailure(arguments: arguments, status: status, stderr: stderr + stdout) }
        return stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}

/// kubectl exited non-zero.
struct KubectlFailure: Error, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stderr: String
    var description: String { "kubectl \(arguments.joined(separator: " ")) exited \(status): \(stderr)" }
}
