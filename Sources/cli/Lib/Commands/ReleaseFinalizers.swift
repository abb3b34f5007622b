import ArgumentParser
import Foundation
import KubeJSON
import Shared

/// What `release-finalizers` did, or would do, to one object.
struct Release: Sendable {
    enum Result: String, Sendable {
        /// The finalizer was removed.
        case released
        /// `--dry-run`: it would be removed.
        case wouldRelease = "would release"
        /// The object went (or lost the finalizer) before the write.
        case alreadyGone = "already gone"
        /// The API server refused the write; `error` says why.
        case failed
    }

    var kind: String
    var namespace: String
    var name: String
    /// Being deleted: once released, the object goes.
    var terminating: Bool
    var result: Result
    var error: String?

    var json: JSONValue {
        [
            "kind": .string(kind), "namespace": .string(namespace), "name": .string(name),
            "terminating": .bool(terminating),
            "result": .string(result.rawValue), "error": error.map { .string($0) } ?? .null,
        ]
    }
}

struct ReleaseFinalizers: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "release-finalizers",
        abstract:
            "Remove this operator's finalizer from OMJobs, CronOMJobs and pods, for an uninstall or a move back to the Java operator.",
        discussion: """
            Stop the operator first (it would add its finalizer again). Each object is read fresh and written with the \
            resourceVersion read (a conflict reads it again), so running it twice changes nothing the second time.
            """)

    /// Pods the operator created carry this label; only they are read.
    static let podSelector = OperatorLabels.podType

    @OptionGroup var kube: KubeOptions
    @Flag(name: [.customShort("A"), .long], help: "Every namespace.") var allNamespaces = false
    @Flag(name: .customLong("dry-run"), help: "Print what would change; change nothing.") var dryRun = false
    @Option(name: [.short, .long], help: "json or yaml: what was done, per object.") var output: MachineFormat?

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        let scope = allNamespaces ? nil : connection.namespace
        var releases: [Release] = []
        var notes: [String] = []
        var unreadable: [String] = []
        for (resource, selector) in [(Kinds.omjobs, nil), (Kinds.cronomjobs, nil), (Kinds.pods, Self.podSelector)]
            as [(ResourceType, String?)]
        {
            let objects: [Raw<JSONValue>]
            do {
                objects = try await connection.list(JSONValue.self, resource, namespace: scope, labelSelector: selector)
            } catch let error as CLIError where resource.group != "" && error.message.contains("NotFound") {
                notes.append("no \(resource.plural) on this server (the CRD is not installed)")
                continue
            } catch let error as CLIError {
                // One kind that cannot be read (RBAC) does not hide what was done to the others.
                unreadable.append(error.message)
                continue
            }
            for object in objects where Self.finalizers(object.json).contains(OperatorLabels.finalizer) {
                releases.append(await release(object.json, resource, connection))
            }
        }
        report(releases, notes: notes, scope: scope, context.terminal)
        for message in unreadable { context.terminal.error("error: \(message)") }
        return releases.contains { $0.result == .failed } || !unreadable.isEmpty ? .failure : .success
    }

    static func finalizers(_ object: JSONValue) -> [String] {
        object[path: ["metadata", "finalizers"]]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Removes the finalizer with a merge patch that carries the resourceVersion read, so a
    /// concurrent change is never overwritten: on a conflict the object is read again.
    private func release(_ first: JSONValue, _ resource: ResourceType, _ connection: Connection) async -> Release {
        var object = first
        let namespace = first[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = first[path: ["metadata", "name"]]?.stringValue ?? ""
        var entry = Release(
            kind: resource.kind, namespace: namespace, name: name,
            terminating: first[path: ["metadata", "deletionTimestamp"]] != nil, result: .released)
        if dryRun {
            entry.result = .wouldRelease
            return entry
        }
        for _ in 0..<10 {
            let remaining = Self.finalizers(object).filter { $0 != OperatorLabels.finalizer }
            guard remaining.count < Self.finalizers(object).count else {
                entry.result = .alreadyGone
                return entry
            }
            let patch: JSONValue = [
                "metadata": [
                    "resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? .null,
                    "finalizers": remaining.isEmpty ? .null : .array(remaining.map { .string($0) }),
                ]
            ]
            do throws(KubeError) {
                _ = try await connection.client.patch(
                    Unread.self, resource: resource, namespace: namespace, name: name, patch: patch)
                return entry
            } catch {
                if error.isNotFound {
                    entry.result = .alreadyGone
                    return entry
                }
                guard error.isConflict else {
                    entry.result = .failed
                    entry.error =
                        CLIError.api(error, "release", "\(resource.kind.lowercased()) \(namespace)/\(name)").message
                    return entry
                }
            }
            do throws(KubeError) {
                object = try await connection.client.get(
                    JSONValue.self, resource: resource, namespace: namespace, name: name)
                entry.terminating = object[path: ["metadata", "deletionTimestamp"]] != nil
            } catch {
                if error.isNotFound {
                    entry.result = .alreadyGone
                } else {
                    entry.result = .failed
                    entry.error =
                        CLIError.api(error, "read", "\(resource.kind.lowercased()) \(namespace)/\(name)").message
                }
                return entry
            }
        }
        entry.result = .failed
        entry.error = "\(resource.kind.lowercased()) \(namespace)/\(name) kept changing (10 conflicts in a row)"
        return entry
    }

    private func report(_ releases: [Release], notes: [String], scope: String?, _ terminal: Terminal) {
        if let output {
            let document: JSONValue = [
                "dryRun": .bool(dryRun), "finalizer": .string(OperatorLabels.finalizer),
                "objects": .array(releases.map(\.json)), "notes": .array(notes.map { .string($0) }),
            ]
            terminal.write(output.render(document))
            return
        }
        for note in notes { terminal.error("note: \(note)") }
        let place = scope.map { "in namespace \($0)" } ?? "in any namespace"
        guard !releases.isEmpty else {
            terminal.line("nothing holds the finalizer \(OperatorLabels.finalizer) \(place)")
            return
        }
        var table = Table(header: ["KIND", "NAMESPACE", "NAME", "TERMINATING", "RESULT"])
        for entry in releases {
            let colour: Terminal.Colour? =
                switch entry.result {
                case .released: .green
                case .failed: .red
                case .wouldRelease, .alreadyGone: nil
                }
            table.add([
                .init(entry.kind), .init(entry.namespace), .init(entry.name), .init(entry.terminating ? "yes" : "no"),
                .init(entry.result.rawValue + (entry.error.map { ": \($0)" } ?? ""), colour),
            ])
        }
        terminal.write(table.render(on: terminal))
        let count = { (result: Release.Result) in releases.filter { $0.result == result }.count }
        let terminating = releases.filter { $0.terminating && ($0.result == .released || $0.result == .wouldRelease) }
            .count
        if dryRun {
            terminal.line(
                "dry run: would release \(count(.wouldRelease)) object(s) \(place); \(terminating) of them are being deleted and would then go"
            )
        } else {
            terminal.line(
                "released \(count(.released)) object(s) \(place); \(terminating) of them were being deleted and now go"
                    + (count(.failed) > 0 ? "; \(count(.failed)) failed" : ""))
        }
    }
}

extension MachineFormat: ExpressibleByArgument {}
