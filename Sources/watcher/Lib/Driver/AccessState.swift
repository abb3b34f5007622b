import BrokerProtocol
import Foundation
import KubeAPI

/// What the watcher knows of its permissions and of the API server's reachability: a pure value
/// the driver feeds with the start-up review and the informers' failures, and asks what to
/// report to the supervisor and what to log. (`now` is passed in; nothing here does I/O.)
///
/// Rules:
/// - every missing permission is logged once, as an ERROR naming the verb, the resource and
///   what the operator does without it; a missing required one again every `repeatEvery`
///   while it lasts (the operator then runs nothing, and must never stall silently);
/// - a 403 from an informer is a missing permission (the review may be unavailable or wrong);
/// - a transport error from an informer makes the API server unreachable until that informer
///   succeeds again.
struct AccessState: Equatable {
    /// How often a missing required permission is logged (and looked up again) while it lasts.
    static let repeatEvery: TimeInterval = 60

    private(set) var missing: [Permission] = []
    /// Informers whose last request failed without an HTTP answer.
    private(set) var unreachableFrom: Set<String> = []
    private var logged: Set<Permission> = []
    private var lastRequiredLog: Date?

    var apiReachable: Bool { unreachableFrom.isEmpty }
    var missingRequired: [Permission] { missing.filter(\.required) }

    /// The start-up review (or a later look-up of `asked`): what it says replaces what was known
    /// of those permissions. Returns true when the set changed.
    mutating func reviewed(_ review: PermissionReview, asked: [Permission]) -> Bool {
        let before = missing
        let askedSet = Set(asked)
        missing = missing.filter { !askedSet.contains($0) }
        for permission in review.missing where !missing.contains(permission) { missing.append(permission) }
        logged.formIntersection(missing)
        return missing != before
    }

    /// An informer's request failed. Returns true when what is reported changed.
    mutating func failed(informer: String, permission: Permission, error: KubeError) -> Bool {
        if error.code == 403 {
            guard !missing.contains(permission) else { return false }
            missing.append(permission)
            return true
        }
        if case .transport = error { return unreachableFrom.insert(informer).inserted }
        return false
    }

    /// An informer's request succeeded after failures: it is reachable, and its permission granted.
    mutating func recovered(informer: String, permissions: [Permission]) -> Bool {
        let before = (missing, unreachableFrom)
        unreachableFrom.remove(informer)
        missing.removeAll { permissions.contains($0) }
        logged.formIntersection(missing)
        return before != (missing, unreachableFrom)
    }

    /// The permissions to log now: each missing one not logged yet, and every required one again
    /// once `repeatEvery` has passed since the last time.
    mutating func toLog(now: Date) -> [Permission] {
        var due = missing.filter { !logged.contains($0) }
        if !missingRequired.isEmpty, let last = lastRequiredLog, now.timeIntervalSince(last) >= Self.repeatEvery {
            due += missingRequired.filter { !due.contains($0) }
        }
        if due.contains(where: \.required) { lastRequiredLog = now }
        logged.formUnion(due)
        return due
    }

    /// When to look again (and log again) while a required permission is missing.
    func nextLook(now: Date) -> Date? {
        guard !missingRequired.isEmpty else { return nil }
        return (lastRequiredLog ?? now).addingTimeInterval(Self.repeatEvery)
    }

    func conditions(synced: Bool?) -> WorkerConditions {
        WorkerConditions(synced: synced, apiReachable: apiReachable, missingPermissions: missing)
    }
}
