import Foundation

/// Every way a main pod ends in the chaos mix, how kubesim is asked to produce it, and what
/// the exit handler must be told.
enum Ending: String, CaseIterable, Sendable {
    case completed, error, oomKilled, evicted, signaled
    case imagePullBackOff, errImagePull, createContainerConfigError, unschedulable
    /// The main pod runs until someone deletes it (graceful, 1 s).
    case deleted
    /// The main pod runs until someone force-deletes it (grace 0).
    case forceDeleted

    /// kubesim's automatic-mode annotations on the main pod.
    var annotations: [String: String] {
        switch self {
        case .completed: ["kubesim.io/ending": "Completed"]
        case .error: ["kubesim.io/ending": "Error", "kubesim.io/exit-code": "2"]
        case .oomKilled: ["kubesim.io/ending": "OOMKilled"]
        case .evicted: ["kubesim.io/ending": "Evicted"]
        case .signaled: ["kubesim.io/ending": "Signal:11"]
        case .imagePullBackOff: ["kubesim.io/ending": "ImagePullBackOff"]
        case .errImagePull: ["kubesim.io/ending": "ErrImagePull"]
        case .createContainerConfigError: ["kubesim.io/ending": "CreateContainerConfigError"]
        case .unschedulable: ["kubesim.io/ending": "Unschedulable"]
        case .deleted, .forceDeleted: ["kubesim.io/ending": "Running"]
        }
    }

    /// The grace period of the deletion that ends the pod, when a deletion does.
    var deletionGrace: Int64? {
        switch self {
        case .deleted: 1
        case .forceDeleted: 0
        default: nil
        }
    }

    /// The exit handler's `pipelineStatus`: success only when the main pod succeeded.
    var pipelineStatus: String { self == .completed ? "success" : "failed" }
}

/// A small seeded generator (SplitMix64), so a chaos run is repeatable from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An exponentially distributed wait with the given mean.
    mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - Double.random(in: 0..<1, using: &self))
    }
}
