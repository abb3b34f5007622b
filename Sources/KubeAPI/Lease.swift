import Foundation
import KubeJSON
import Models

/// The leader-election fields of a `coordination.k8s.io/v1` Lease, as client-go's
/// leaderelection reads and writes them.
public struct LeaseRecord: Sendable, Equatable {
    /// Who holds the lease; empty when nobody does (a holder that released it).
    public var holderIdentity: String
    public var leaseDurationSeconds: Int
    /// MicroTime strings, kept as the server sent them: only equality of the whole record
    /// matters to an observer, never the clock they were written with.
    public var acquireTime: String?
    public var renewTime: String?
    public var leaseTransitions: Int

    public init(
        holderIdentity: String, leaseDurationSeconds: Int, acquireTime: String? = nil, renewTime: String? = nil,
        leaseTransitions: Int = 0
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// Reads the `spec` of a Lease object; absent fields read as empty.
    public init(spec: JSONValue?) {
        holderIdentity = spec?["holderIdentity"]?.stringValue ?? ""
        leaseDurationSeconds = spec?["leaseDurationSeconds"]?.intValue.map(Int.init) ?? 0
        acquireTime = spec?["acquireTime"]?.stringValue
        renewTime = spec?["renewTime"]?.stringValue
        leaseTransitions = spec?["leaseTransitions"]?.intValue.map(Int.init) ?? 0
    }

    /// The `spec` as written.
    public var spec: JSONValue {
        var object: [String: JSONValue] = [
            "holderIdentity": .string(holderIdentity), "leaseDurationSeconds": .int(Int64(leaseDurationSeconds)),
            "leaseTransitions": .int(Int64(leaseTransitions)),
        ]
        if let acquireTime { object["acquireTime"] = .string(acquireTime) }
        if let renewTime { object["renewTime"] = .string(renewTime) }
        return .object(object)
    }

    /// A MicroTime (`2006-01-02T15:04:05.000000Z`) for `date`.
    public static func microTime(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        let micros = Int(((seconds - whole) * 1_000_000).rounded(.down))
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        let day = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return day + String(format: ".%06dZ", micros)
    }
}

/// A Lease as read from the server: its record and the resourceVersion an update must name.
public struct ObservedLease: Sendable, Equatable {
    public var record: LeaseRecord
    public var resourceVersion: String

    public init(record: LeaseRecord, resourceVersion: String) {
        self.record = record
        self.resourceVersion = resourceVersion
    }
}

extension KubeClient {
    /// `coordination.k8s.io/v1` leases.
    public static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases")

    /// The Lease, or nil when there is none. One attempt: the elector retries on its own period.
    public func lease(namespace: String, name: String, timeout: Duration) async throws(KubeError) -> ObservedLease? {
        let call = Call(path: Self.leases.objectPath(namespace: namespace, name: name), timeout: timeout)
        do {
            return try Self.observed(decode(JSONValue.self, try await send(call, retry: .never)))
        } catch  where error.isNotFound {
            return nil
        }
    }

    /// Creates the Lease with `labels`; a 409 means another replica created it first.
    public func createLease(
        namespace: String, name: String, record: LeaseRecord, labels: [String: String] = [:], timeout: Duration
    ) async throws(KubeError) -> ObservedLease {
        let object: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": Self.labels(labels)],
            "spec": record.spec,
        ]
        let call = Call(
            method: "POST", path: Self.leases.collectionPath(namespace: namespace), body: try encode(object),
            timeout: timeout)
        return try Self.observed(decode(JSONValue.self, try await send(call, retry: .never)))
    }

    /// Replaces the Lease's spec and labels if it is still at `resourceVersion` (409 Conflict
    /// otherwise). A replace sets every label, so `labels` are the Lease's labels afterwards.
    public func updateLease(
        namespace: String, name: String, record: LeaseRecord, labels: [String: String] = [:],
        resourceVersion: String, timeout: Duration
    ) async throws(KubeError) -> ObservedLease {
        let object: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": [
                "name": .string(name), "namespace": .string(namespace), "resourceVersion": .string(resourceVersion),
                "labels": Self.labels(labels),
            ],
            "spec": record.spec,
        ]
        let call = Call(
            method: "PUT", path: Self.leases.objectPath(namespace: namespace, name: name), body: try encode(object),
            timeout: timeout)
        return try Self.observed(decode(JSONValue.self, try await send(call, retry: .never)))
    }

    private static func labels(_ labels: [String: String]) -> JSONValue {
        .object(labels.mapValues { .string($0) })
    }

    static func observed(_ object: JSONValue) throws(KubeError) -> ObservedLease {
        guard let version = object["metadata"]?["resourceVersion"]?.stringValue else {
            throw .decoding("Lease without metadata.resourceVersion")
        }
        return ObservedLease(record: LeaseRecord(spec: object["spec"]), resourceVersion: version)
    }
}
