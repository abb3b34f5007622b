import ArgumentParser
import Foundation
import KubeSim

/// `kubesim --port N [--token T] [--crds DIR] [--tls-cert F --tls-key F] [--nodes N] [--auto …] [--local-runtime]`:
/// serve until SIGINT/SIGTERM.
@main
struct KubeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubesim", abstract: "Kubernetes API server simulator (loopback only).")

    @Option(help: "Port to listen on (0: pick a free one, printed on start).") var port: Int = 6443
    @Option(help: "Address to bind (loopback by default).") var host: String = "127.0.0.1"
    @Option(help: "Bearer token every request must carry.") var token: String?
    @Option(help: "Directory of CustomResourceDefinition YAML files to load at start.") var crds: String?
    @Option(name: .customLong("tls-cert"), help: "PEM certificate: serve HTTPS.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.") var tlsKey: String?
    @Option(help: "Seconds between watch BOOKMARK events.") var bookmarkInterval: Int = 60
    @Option(help: "Events kept per resource for watch resumption (older: 410 Expired).") var history: Int = 10_000
    @Option(help: "Simulated nodes to register at start (at least 1 with --auto or --local-runtime).") var nodes: Int =
        0
    @Flag(
        help:
            "Automatic mode: schedule and run every new pod by the policy below (annotations kubesim.io/* override it)."
    )
    var auto = false
    @Option(name: .customLong("run-seconds"), help: "Automatic mode: seconds each pod runs.") var runSeconds: Double = 1
    @Option(name: .customLong("exit-code"), help: "Automatic mode: exit code each pod ends with.") var exitCode: Int32 =
        0
    @Flag(
        name: .customLong("local-runtime"),
        help: "Really run each pod's container command as a local process (images are ignored; implies --auto).")
    var localRuntime = false
    @Flag(name: .customLong("manual-clock"), help: "Cluster time moves only through POST /kubesim/cluster/advance.")
    var manualClock = false

    /// A bad flag stops start-up with exit code 2 (a usage error, as command-line tools report it) and names it.
    func validate() throws {
        var problem: String?
        if !(0...65535).contains(port) { problem = "--port must be 0...65535, got \(port)" }
        if bookmarkInterval <= 0 { problem = "--bookmark-interval must be positive, got \(bookmarkInterval)" }
        if history <= 0 { problem = "--history must be positive, got \(history)" }
        if (tlsCert == nil) != (tlsKey == nil) { problem = "--tls-cert and --tls-key go together" }
        if !(0...1000).contains(nodes) { problem = "--nodes must be 0...1000, got \(nodes)" }
        if !(runSeconds >= 0 && runSeconds.isFinite) { problem = "--run-seconds must be >= 0, got \(runSeconds)" }
        if !(0...255).contains(exitCode) { problem = "--exit-code must be 0...255, got \(exitCode)" }
        guard let problem else { return }
        FileHandle.standardError.write(Data("kubesim: invalid setting: \(problem)\n".utf8))
        throw ExitCode(2)
    }

    func run() async throws {
        let sim: KubeSimServer
        do {
            sim = try await KubeSimServer.start(
                .init(
                    port: port, host: host, token: token, crdDirectory: crds, tlsCertificatePath: tlsCert,
                    tlsKeyPath: tlsKey,
                    bookmarkInterval: .seconds(bookmarkInterval), store: .init(historyLimit: history),
                    cluster: clusterConfiguration))
        } catch {
            FileHandle.standardError.write(Data("kubesim: \(error)\n".utf8))
            throw ExitCode(2)
        }
        FileHandle.standardOutput.write(Data("kubesim: serving \(sim.baseURL)\n".utf8))
        await waitForTermination()
        try await sim.shutdown()
        print("kubesim: stopped")
    }

    private var clusterConfiguration: SimCluster.Configuration {
        let automatic = auto || localRuntime
        return SimCluster.Configuration(
            clock: manualClock ? .manual(ManualClock(start: Date())) : .system,
            nodes: automatic ? max(1, nodes) : nodes,
            autoPolicy: automatic ? AutoPolicy(runSeconds: runSeconds, exitCode: exitCode) : nil,
            localRuntime: localRuntime ? LocalRuntimeConfiguration() : nil)
    }

    /// Waits for SIGINT or SIGTERM.
    private func waitForTermination() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        for await _ in stream { break }
        for source in sources { source.cancel() }
    }
}
