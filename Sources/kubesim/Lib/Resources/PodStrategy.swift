import KubeJSON

/// Pods: API defaults, status reset on create, and the validation the operator can trip over.
enum PodStrategy {
    static func prepareForCreate(_ pod: inout JSONValue) {
        var spec = pod["spec"]?.objectValue ?? [:]
        let defaults: [String: JSONValue] = [
            "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
            "terminationGracePeriodSeconds": 30, "securityContext": [:], "enableServiceLinks": true,
            "priority": 0, "preemptionPolicy": "PreemptLowerPriority", "serviceAccountName": "default",
        ]
        for (key, value) in defaults where spec[key] == nil { spec[key] = value }
        if spec["serviceAccount"] == nil { spec["serviceAccount"] = spec["serviceAccountName"] }
        for list in ["containers", "initContainers"] {
            if let containers = spec[list]?.arrayValue { spec[list] = .array(containers.map(defaultContainer)) }
        }
        spec["tolerations"] = .array(defaultTolerations(spec["tolerations"]?.arrayValue ?? []))
        pod["spec"] = .object(spec)
        pod["status"] = ["phase": "Pending", "qosClass": .string(qosClass(spec))]
    }

    /// DefaultTolerationSeconds admission: tolerate not-ready/unreachable nodes for 300 s.
    private static func defaultTolerations(_ existing: [JSONValue]) -> [JSONValue] {
        var tolerations = existing
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let present = existing.contains {
                $0["key"]?.stringValue == key && ($0["effect"] == nil || $0["effect"] == "NoExecute")
            }
            if !present {
                tolerations.append([
                    "key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300,
                ])
            }
        }
        return tolerations
    }

    private static func defaultContainer(_ container: JSONValue) -> JSONValue {
        var c = container
        if c["terminationMessagePath"] == nil { c["terminationMessagePath"] = "/dev/termination-log" }
        if c["terminationMessagePolicy"] == nil { c["terminationMessagePolicy"] = "File" }
        if c["resources"] == nil { c["resources"] = [:] }
        if c["imagePullPolicy"] == nil {
            let image = c["image"]?.stringValue ?? ""
            let tag = image.split(separator: "/").last.flatMap {
                $0.contains(":") ? $0.split(separator: ":").last : nil
            }
            c["imagePullPolicy"] = (tag == nil || tag == "latest") && !image.contains("@") ? "Always" : "IfNotPresent"
        }
        return c
    }

    private static func qosClass(_ spec: [String: JSONValue]) -> String {
        let containers = spec["containers"]?.arrayValue ?? []
        let hasAny = containers.contains { c in
            !(c[path: ["resources", "requests"]]?.objectValue ?? [:]).isEmpty
                || !(c[path: ["resources", "limits"]]?.objectValue ?? [:]).isEmpty
        }
        return hasAny ? "Burstable" : "BestEffort"
    }

    static func validate(_ pod: JSONValue, old: JSONValue?) -> [FieldError] {
        if let old { return validateUpdate(pod, old: old) }
        var errors: [FieldError] = []
        let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
        if containers.isEmpty { errors.append(.required("spec.containers")) }
        var seen = Set<String>()
        for (index, container) in containers.enumerated() {
            let path = "spec.containers[\(index)]"
            let name = container["name"]?.stringValue ?? ""
            if name.isEmpty {
                errors.append(.required("\(path).name"))
            } else {
                errors += NameValidation.label(name).map { .invalid("\(path).name", .string(name), $0) }
                if !seen.insert(name).inserted {
                    errors.append(.init(kind: .duplicate, field: "\(path).name", value: "\"\(name)\"", detail: ""))
                }
            }
            if (container["image"]?.stringValue ?? "").isEmpty { errors.append(.required("\(path).image")) }
        }
        let policy = pod[path: ["spec", "restartPolicy"]]?.stringValue ?? "Always"
        if !["Always", "OnFailure", "Never"].contains(policy) {
            errors.append(
                .init(
                    kind: .notSupported, field: "spec.restartPolicy", value: "\"\(policy)\"",
                    detail: "supported values: \"Always\", \"OnFailure\", \"Never\""))
        }
        return errors
    }

    /// Pod specs are immutable except images, activeDeadlineSeconds, tolerations additions
    /// and terminationGracePeriodSeconds (as `ValidatePodUpdate`).
    private static func validateUpdate(_ pod: JSONValue, old: JSONValue) -> [FieldError] {
        func mutableFieldsCleared(_ spec: JSONValue?) -> JSONValue {
            var s = spec ?? .object([:])
            for key in ["activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"] { s[key] = nil }
            for list in ["containers", "initContainers"] {
                if let containers = s[list]?.arrayValue {
                    s[list] = .array(
                        containers.map {
                            var c = $0
                            c["image"] = nil
                            return c
                        })
                }
            }
            return s
        }
        guard mutableFieldsCleared(pod["spec"]) != mutableFieldsCleared(old["spec"]) else { return [] }
        return [
            .forbidden(
                "spec",
                "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
            )
        ]
    }
}
