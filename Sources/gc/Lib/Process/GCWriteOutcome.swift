
/// What became of one gc write, as the driver needs to know it: whether the next command of
/// the same object may follow, and what to count.
enum GCWriteOutcome: Hashable, Sendable {
    /// The write was made now.
    case done
    /// The state it asked for already held (404 on a delete, a UID mismatch, 409 AlreadyExists
    /// on an event): a repeat after a restart or a lagging cache. Counted as nothing new.
    case alreadyDone
    /// The object changed since the decision (409 Conflict on the status precondition, or it is
    /// gone): stop this object's list; the newer object reaches the cache and is decided again.
    case stale
    /// A failure that outlasted the client's retries, or a refusal: stop this object's list and
    /// try the whole decision again later.
    case failed(String)

    /// True when the next command of the same object may be performed.
    var allowsNext: Bool { self == .done || self == .alreadyDone }
}
