import Models

/// The phase machine as status edits: Pending → Running → ExitHandlerRunning → Succeeded | Failed.
/// Each edit is a pure change of the desired status; `RunPlan` writes it only when it differs.
extension OMJobStatus {
    /// Condition types the operator sets.
    enum ConditionType {
        static let mainPodEnded = "MainPodEnded"
        static let exitHandlerSucceeded = "ExitHandlerSucceeded"
        static let complete = "Complete"
        static let failed = "Failed"
    }

    /// The main pod has been seen: name it (from now on its absence means it was lost) and follow it.
    mutating func observeMainPod(name: String, progress: MainPodProgress, now: String) {
        mainPodName = name
        if startTime == nil { startTime = now }
        guard phase == nil || phase == .pending || phase == .running else { return }
        switch progress {
        case .notStarted(let reason) where MainPodProgress.startingReasons.contains(reason):
            // Every pod passes through these on its way to running, often within milliseconds of
            // each other: one message for all of them, so that each is not a status write of its own.
            phase = .pending
            message = "main pod \(name) is starting"
        case .notStarted(let reason):
            phase = .pending
            message = "main pod \(name) has not started (\(reason))"
        case .running:
            phase = .running
            message = "main pod \(name) is running"
        }
    }

    /// Records how the main pod ended; the run moves on to its exit handler (or finishes without one).
    mutating func recordMainEnding(_ ending: MainPodTermination, now: String) {
        mainPodTermination = ending
        mainPodExitCode = ending.exitCode
        if startTime == nil { startTime = now }
        phase = .exitHandlerRunning
        message = "main pod ended: \(Self.describe(ending))"
        setCondition(
            ConditionType.mainPodEnded, true, reason: ending.reason, message: ending.message ?? message ?? "", now: now)
    }

    /// Exit-handler pod number `attempt` is being created.
    mutating func startExitAttempt(_ attempt: Int, podName: String) {
        exitHandlerAttempts = attempt
        exitHandlerPodName = podName
        phase = .exitHandlerRunning
        if let ending = mainPodTermination {
            message = "main pod ended: \(Self.describe(ending)); exit handler attempt \(attempt) running"
        }
    }

    /// The run is over.
    mutating func finish(_ final: OMJobPhase, reason: String, message text: String, now: String) {
        phase = final
        completionTime = now
        message = text
        setCondition(
            final == .succeeded ? ConditionType.complete : ConditionType.failed, true, reason: reason, message: text,
            now: now)
    }

    mutating func setCondition(_ type: String, _ value: Bool, reason: String, message: String, now: String) {
        var list = conditions ?? []
        list.set(
            Condition(
                type: type, status: value ? "True" : "False", observedGeneration: nil,
                lastTransitionTime: now, reason: Self.conditionReason(reason), message: message))
        conditions = list
    }

    /// `Reason (exit code N, signal S)`, for messages.
    static func describe(_ ending: MainPodTermination) -> String {
        var facts: [String] = []
        if let code = ending.exitCode { facts.append("exit code \(code)") }
        if let signal = ending.signal { facts.append("signal \(signal)") }
        return facts.isEmpty ? ending.reason : "\(ending.reason) (\(facts.joined(separator: ", ")))"
    }

    /// metav1.Condition reasons must match `[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?`:
    /// `NeverStarted/ImagePullBackOff` becomes `NeverStarted_ImagePullBackOff`.
    static func conditionReason(_ reason: String) -> String {
        // Classified by ASCII value, not by Unicode properties: every decision maps the reasons it writes.
        var kept: [UInt8] = []
        kept.reserveCapacity(reason.utf8.count)
        for character in reason {
            guard let byte = character.asciiValue,
                (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":")
            else {
                kept.append(UInt8(ascii: "_"))
                continue
            }
            kept.append(byte)
        }
        let mapped = String(decoding: kept, as: UTF8.self)
        guard let first = kept.first, (first | 0x20) &- UInt8(ascii: "a") < 26 else {
            return "Unknown" + (mapped.isEmpty ? "" : "_" + mapped)
        }
        return mapped.hasSuffix(",") || mapped.hasSuffix(":") ? mapped + "_" : mapped
    }
}
