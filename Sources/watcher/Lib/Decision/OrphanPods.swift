import Shared

/// A pod that still carries the operator's finalizer while its OMJob no longer exists (its
/// finalizer was removed by hand, or the OMJob was force-deleted): nothing is left to record, so the
/// finalizer is released; otherwise the pod would never go away.
///
/// Assumption: the caller has a synced OMJob cache (after a restart, both initial lists are done),
/// so "not in the cache" means "gone".
public enum OrphanPods {
    public static func release(_ pod: PodView) -> Command? {
        guard pod.metadata.finalizers?.contains(OperatorLabels.finalizer) == true, let name = pod.metadata.name else {
            return nil
        }
        let owner = pod.metadata.ownerReferences?.first { $0.controller == true }
        guard let uid = owner?.uid ?? pod.metadata.labels?[OperatorLabels.omJobUID] else { return nil }
        let omJobName = owner?.name ?? pod.metadata.labels?[OperatorLabels.omJobName] ?? name
        let change = FinalizerChange(
            target: .pod(name: name, uid: pod.metadata.uid), finalizer: OperatorLabels.finalizer)
        return Command(
            id: "\(uid)/finalizer-remove/pod/\(name)",
            key: ObjectKey(namespace: pod.metadata.namespace ?? "", name: omJobName),
            omJobUID: uid, action: .removeFinalizer(change))
    }
}
