import BrokerProtocol
import Foundation
import KubeJSON
import Models

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
    /// Commands in order, with routing key and deterministic id; encoded only when sent.
    public var commands: [PlannedCommand]
    /// Ids of the commands that carry a resourceVersion precondition (see `CommandLedger`).
    public var versionBound: Set<String>
    /// When to look again if nothing changes first.
    public var nextLook: Date?
    /// Counters to add when a command is answered `done` (a decision may repeat; a write happens once).
    public var countedOnDone: [String: [CounterKey]] = [:]
    /// Histogram observations to record when a command is answered `done`.
    public var observedOnDone: [String: [Observation]] = [:]

    public init(commands: [PlannedCommand] = [], versionBound: Set<String> = [], nextLook: Date? = nil) {
        self.commands = commands
        self.versionBound = versionBound
        self.nextLook = nextLook
    }
}

/// A decided command not yet encoded for the broker. Most decisions repeat commands already in
/// flight or answered (the ledger drops them), and encoding a command (a whole pod spec) costs
/// more than deciding it, so only the commands actually sent are encoded.
public struct PlannedCommand: Sendable {
    public let command: Command
    /// The change that may undo the command's effect (see `CommandLedger.keyChanged`).
    public let awaits: AwaitedChange?

    public init(_ command: Command) {
        self.command = command
        awaits = command.awaitedObject
    }

    public var id: String { command.id }
    public var key: ObjectKey { command.key }

    /// The framed `command` message, encoded in one pass from the typed command; nil only on an
    /// encoding bug (dropping it is safe: the next decision asks again).
    public var frame: [UInt8]? { try? CommandFrame.encode(id: command.id, key: command.key, payload: command) }

    /// The command as the broker carries it; nil only on an encoding bug (dropping it is safe:
    /// the next decision asks again).
    public var envelope: CommandEnvelope? {
        (try? JSONValue.encoded(from: command)).map { CommandEnvelope(id: command.id, key: command.key, payload: $0) }
    }

    /// The encoded command (`.null` on an encoding bug).
    public var payload: JSONValue { envelope?.payload ?? .null }
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

/// One histogram observation made when a command is answered `done`.
public struct Observation: Hashable, Sendable {
    public var name: String
    public var labels: [String: String]
    /// The value; nil means "the time from the change that led to the decision until the answer".
    public var value: Double?

    public init(_ name: String, _ labels: [String: String] = [:], value: Double? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}
