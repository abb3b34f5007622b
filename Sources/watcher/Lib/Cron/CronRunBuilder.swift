import Foundation
import Shared

/// Builds the OMJob a CronOMJob creates for one slot (DESIGN.md §3).
///
/// The run gets: the deterministic name of `CronRunName`; the CronOMJob's labels plus
/// `app.kubernetes.io/run-id`; its annotations plus the slot it stands for and the CronOMJob's
/// name (`CronOwnership`: no ownerReference, so a run outlives a CronOMJob that is deleted and
/// re-created); and `omJobSpec` with the two placeholders substituted.
public enum CronRunBuilder {
    /// Annotation recording the slot a run was created for (RFC 3339, UTC).
    public static let scheduledTimeAnnotation = CronOwnership.slotAnnotation
    /// An env value exactly this becomes the run id.
    public static let runIDPlaceholder = "{{ omjob.uid }}"
    /// An env value exactly this becomes the run's OMJob name.
    public static let namePlaceholder = "{{ omjob.name }}"

    /// The OMJob for `slot` (epoch seconds) with run id `runID`.
    public static func run(of cron: CronOMJob, spec: CronOMJobSpec, slot: Int64, runID: String) -> OMJob {
        let name = CronRunName.forSlot(cronName: cron.metadata.name ?? "", slot: slot)
        var labels = cron.metadata.labels ?? [:]
        labels[OperatorLabels.runID] = runID
        var annotations = cron.metadata.annotations ?? [:]
        annotations[scheduledTimeAnnotation] = KubeTime.format(Date(timeIntervalSince1970: TimeInterval(slot)))
        annotations[CronOwnership.annotation] = cron.metadata.name ?? ""
        let metadata = ObjectMeta(
            name: name, namespace: cron.metadata.namespace, labels: labels, annotations: annotations)
        return OMJob(metadata: metadata, spec: substituted(spec.omJobSpec, runID: runID, name: name))
    }

    /// `spec` with every env value that is exactly a placeholder replaced; other values,
    /// including ones that merely contain a placeholder, are left as written.
    static func substituted(_ spec: OMJobSpec, runID: String, name: String) -> OMJobSpec {
        var spec = spec
        if let env = spec.mainPodSpec?.env { spec.mainPodSpec?.env = substituted(env, runID: runID, name: name) }
        if let env = spec.exitHandlerSpec?.env {
            spec.exitHandlerSpec?.env = substituted(env, runID: runID, name: name)
        }
        return spec
    }

    private static func substituted(_ env: [EnvVar], runID: String, name: String) -> [EnvVar] {
        env.map { variable in
            var variable = variable
            switch variable.value {
            case runIDPlaceholder: variable.value = runID
            case namePlaceholder: variable.value = name
            default: break
            }
            return variable
        }
    }
}
