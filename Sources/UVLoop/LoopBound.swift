/// A value that may only be touched on one loop's thread, carried through `Sendable` closures
/// (swift-nio's `NIOLoopBound`): the compiler cannot see that a closure posted with
/// `LoopExecutor.execute` runs on the loop thread, so this box checks it at run time instead.
///
/// Use it to hand a loop-confined object (a `WorkerSession`, a handle) to an actor pinned to the
/// same loop; every access traps when made off that thread.
public struct LoopBound<Value>: @unchecked Sendable {
    /// The executor of the loop the value belongs to.
    public let executor: LoopExecutor
    private let stored: Value

    /// Boxes `value`; must be called on the loop thread that owns it.
    public init(_ value: Value, executor: LoopExecutor) {
        executor.checkIsolated()
        self.executor = executor
        self.stored = value
    }

    /// The value; traps unless called on the loop thread.
    public var value: Value {
        executor.checkIsolated()
        return stored
    }
}
