import Foundation
import Shared

/// One controller of the watcher (controller-runtime's Reconciler): given a key and the cache,
/// the commands to send and when to look again. Pure: the driver does every I/O.
///
/// Adding a controller (CronOMJob) means: a type conforming to this, an informer feeding its
/// objects into the cache, and one entry in `WatcherDriver.controllers`.
public protocol Controller: Sendable {
    /// The name that keeps this controller's keys apart from the others' in the work queue.
    var name: String { get }
    func reconcile(_ key: ObjectKey, cache: WatchCache, now: Date) -> Reconciliation
}

/// A controller's answer for one key.
public struct Reconciliation: Sendable {
    /// Commands in order, already encoded for the broker (routing key and deterministic id).
    public var commands: [CommandEnvelope]
    /// Ids of the commands that carry a resourceVersion precondition (see `CommandLedger`).
    public var versionBound: Set<String>
    /// When to look again if nothing changes first.
    public var nextLook: Date?
    /// Counters to add when a command is answered `done` (a decision may repeat; a write happens once).
    public var countedOnDone: [String: [CounterKey]] = [:]

    public init(commands: [CommandEnvelope] = [], versionBound: Set<String> = [], nextLook: Date? = nil) {
        self.commands = commands
        self.versionBound = versionBound
        self.nextLook = nextLook
    }
}

/// A key of the work queue: which controller, which object.
public struct WorkKey: Hashable, Sendable, CustomStringConvertible {
    public var controller: String
    public var key: ObjectKey

    public init(controller: String, key: ObjectKey) {
        self.controller = controller
        self.key = key
    }

    public var description: String { "\(controller):\(key)" }
}

/// One counter and its labels (never object names: bounded label values only).
public struct CounterKey: Hashable, Sendable {
    public var name: String
    public var labels: [String: String]

    public init(_ name: String, _ labels: [String: String] = [:]) {
        self.name = name
        self.labels = labels
    }
}
