import Foundation
import KubeJSON
import Shared

/// Builds a run's pods from its OMJob exactly as DESIGN.md §3 says: one container `main`,
/// `restartPolicy: Never`, a controller ownerReference, the operator's labels (which win over
/// `podSpec.labels`), a hardened container security context, and a finalizer on the main pod.
public enum PodBuilder {
    /// The only container of every pod the operator creates (exit_handler.py reads its logs by this name).
    public static let containerName = "main"

    /// The main pod. It carries the operator's finalizer from birth, so no ending can be missed,
    /// even while the operator is down.
    public static func mainPod(omJob: OMJob, spec podSpec: OMJobPodSpec) -> Pod {
        let name = PodNaming.mainPodName(omJob: omJob.metadata.name ?? "")
        var pod = pod(omJob: omJob, name: name, podSpec: podSpec, type: .main, attempt: nil, owned: true)
        pod.metadata.finalizers = [OperatorLabels.finalizer]
        pod.spec?.containers[0].env = containerEnv(podSpec.env)
        return pod
    }

    /// Exit-handler pod number `attempt`. `owned` is false while the OMJob is being deleted: an
    /// ownerReference to a dying owner would let the garbage collector (foreground deletion) delete
    /// the pod before it runs, so such pods are found by the UID label and deleted by the operator.
    public static func exitPod(
        omJob: OMJob, spec: OMJobSpec, exitSpec: OMJobPodSpec, mainPodName: String,
        ending: MainPodTermination, attempt: Int, owned: Bool
    ) -> Pod {
        let name = PodNaming.exitPodName(omJob: omJob.metadata.name ?? "", attempt: attempt)
        var exitSpec = exitSpec
        if exitSpec.imagePullSecrets?.isEmpty ?? true { exitSpec.imagePullSecrets = spec.mainPodSpec?.imagePullSecrets }
        if exitSpec.serviceAccountName == nil { exitSpec.serviceAccountName = spec.mainPodSpec?.serviceAccountName }
        var pod = pod(omJob: omJob, name: name, podSpec: exitSpec, type: .exitHandler, attempt: attempt, owned: owned)
        let facts = ExitHandlerEnvironment.variables(
            omJob: omJob, mainPodName: mainPodName, ending: ending, attempt: attempt)
        pod.spec?.containers[0].env = ExitHandlerEnvironment.merge(spec: exitSpec.env, operatorVariables: facts)
        return pod
    }

    private static func pod(
        omJob: OMJob, name: String, podSpec: OMJobPodSpec, type: PodType, attempt: Int?, owned: Bool
    ) -> Pod {
        var metadata = ObjectMeta(
            name: name, namespace: omJob.metadata.namespace,
            labels: labels(omJob: omJob, podSpec: podSpec, type: type, attempt: attempt),
            annotations: podSpec.annotations.flatMap { $0.isEmpty ? nil : $0 })
        if owned, let uid = omJob.metadata.uid {
            // No blockOwnerDeletion: it needs `update` on `omjobs/finalizers` wherever the
            // OwnerReferencesPermissionEnforcement admission plugin runs, which OpenMetadata's chart
            // does not grant, and the operator's own finalizers already order a run's deletion.
            metadata.ownerReferences = [
                OwnerReference(
                    apiVersion: OMJob.resourceType.apiVersion, kind: OMJob.resourceType.kind,
                    name: omJob.metadata.name ?? "", uid: uid, controller: true)
            ]
        }
        var container = Container(name: containerName, image: podSpec.image)
        container.imagePullPolicy = podSpec.imagePullPolicy
        container.command = podSpec.command
        container.args = podSpec.args
        container.resources = podSpec.resources
        container.securityContext = hardenedSecurityContext(podLevel: podSpec.securityContext)
        var spec = PodSpec(containers: [container])
        spec.restartPolicy = "Never"
        spec.serviceAccountName = podSpec.serviceAccountName
        spec.imagePullSecrets = podSpec.imagePullSecrets.flatMap { $0.isEmpty ? nil : $0 }
        spec.nodeSelector = podSpec.nodeSelector.flatMap { $0.isEmpty ? nil : $0 }
        spec.tolerations = podSpec.tolerations
        spec.affinity = podSpec.affinity
        spec.priorityClassName = podSpec.priorityClassName
        spec.securityContext = podSpec.securityContext
        return Pod(metadata: metadata, spec: spec)
    }

    /// `podSpec.labels`, then the OMJob's pipeline and run-id, then the operator's own labels:
    /// later entries win, so `managed-by=openmetadata` from OpenMetadata becomes `omjob-operator`.
    static func labels(omJob: OMJob, podSpec: OMJobPodSpec, type: PodType, attempt: Int?) -> [String: String] {
        var labels = podSpec.labels ?? [:]
        labels.reserveCapacity(labels.count + 9)
        for key in [OperatorLabels.pipeline, OperatorLabels.runID] {
            if let value = omJob.metadata.labels?[key] { labels[key] = value }
        }
        labels[OperatorLabels.appName] = OperatorLabels.appNameValue
        labels[OperatorLabels.appComponent] = OperatorLabels.componentValue
        labels[OperatorLabels.managedBy] = OperatorLabels.managedByValue
        labels[OperatorLabels.omJobName] = PodNaming.labelValue(omJob.metadata.name ?? "")
        labels[OperatorLabels.podType] = type.rawValue
        if let uid = omJob.metadata.uid { labels[OperatorLabels.omJobUID] = uid }
        if let attempt { labels[OperatorLabels.attempt] = String(attempt) }
        return labels
    }

    /// No privilege escalation, no capabilities; the pod-level identity repeated on the container so
    /// that admission policies checking containers (restricted Pod Security) see it.
    static func hardenedSecurityContext(podLevel: JSONValue?) -> SecurityContext {
        var context = SecurityContext()
        context.allowPrivilegeEscalation = false
        context.capabilities = Capabilities(drop: ["ALL"])
        context.runAsNonRoot = podLevel?["runAsNonRoot"]?.boolValue
        context.runAsUser = podLevel?["runAsUser"]?.intValue
        context.runAsGroup = podLevel?["runAsGroup"]?.intValue
        return context
    }

    /// The spec's variables with empty `valueFrom` dropped (the API server rejects `valueFrom: {}`).
    static func containerEnv(_ env: [EnvVar]?) -> [EnvVar] {
        (env ?? []).map { variable in
            var variable = variable
            if variable.valueFrom?.isEmpty == true { variable.valueFrom = nil }
            return variable
        }
    }
}
