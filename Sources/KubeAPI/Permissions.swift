import KubeJSON
import Models

/// One verb on one resource that the operator uses, with what its absence costs.
///
/// The table (`OperatorPermissions.all`) is what the code calls; deploy/'s RBAC grants all of
/// it. OpenMetadata's chart grants only the required ones, so everything optional must degrade
/// to a documented loss, never to a stall.
public struct Permission: Hashable, Sendable, CustomStringConvertible {
    public var verb: String
    /// API group; empty for the core group.
    public var group: String
    public var resource: String
    public var subresource: String?
    /// nil: cluster-wide (a cluster-scoped resource, or every namespace).
    public var namespace: String?
    /// Without it the operator cannot run OMJobs at all.
    public var required: Bool
    /// What the operator does without it, for the log line and `/info`.
    public var withoutIt: String

    public init(
        _ verb: String, group: String = "", _ resource: String, subresource: String? = nil, namespace: String?,
        required: Bool, withoutIt: String
    ) {
        self.verb = verb
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.required = required
        self.withoutIt = withoutIt
    }

    /// `pods/log.` style: the resource as RBAC rules and kubectl name it.
    public var resourceName: String {
        let base = group.isEmpty ? resource : "\(resource).\(group)"
        return subresource.map { "\(base)/\($0)" } ?? base
    }

    /// `list nodes (cluster-wide)`, `create pods in openmetadata-pipelines`.
    public var description: String { "\(verb) \(resourceName) \(scope)" }

    /// `in openmetadata-pipelines`, or `(cluster-wide)`.
    var scope: String { namespace.map { "in \($0)" } ?? "(cluster-wide)" }

    /// As `kubectl auth can-i` would ask it.
    var reviewBody: JSONValue {
        var attributes: [String: JSONValue] = [
            "verb": .string(verb), "group": .string(group), "resource": .string(resource),
        ]
        if let subresource { attributes["subresource"] = .string(subresource) }
        if let namespace { attributes["namespace"] = .string(namespace) }
        return [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
            "spec": ["resourceAttributes": .object(attributes)],
        ]
    }
}

extension Permission {
    /// The form `/info` shows and the broker protocol carries.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "verb": .string(verb), "group": .string(group), "resource": .string(resource), "required": .bool(required),
            "withoutIt": .string(withoutIt),
        ]
        if let subresource { object["subresource"] = .string(subresource) }
        if let namespace { object["namespace"] = .string(namespace) }
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard let verb = json["verb"]?.stringValue, let resource = json["resource"]?.stringValue else { return nil }
        self.init(
            verb, group: json["group"]?.stringValue ?? "", resource, subresource: json["subresource"]?.stringValue,
            namespace: json["namespace"]?.stringValue, required: json["required"]?.boolValue ?? true,
            withoutIt: json["withoutIt"]?.stringValue ?? "")
    }
}

/// Missing permissions as they are said (one log line, one line of `/ready`): those that differ
/// only in their verb go together, `list, watch, get nodes (cluster-wide)`, in the order found.
public struct PermissionGroup: Sendable, Equatable, CustomStringConvertible {
    /// Each verb once, in the order found.
    public private(set) var verbs: [String]
    /// The first permission of the group; all but its verb is what every one of them shares.
    public let first: Permission

    public var required: Bool { first.required }
    public var resourceName: String { first.resourceName }
    public var withoutIt: String { first.withoutIt }

    /// `list, watch, get nodes (cluster-wide)`.
    public var description: String { "\(verbs.joined(separator: ", ")) \(first.resourceName) \(first.scope)" }

    public static func of(_ permissions: [Permission]) -> [PermissionGroup] {
        var groups: [PermissionGroup] = []
        for permission in permissions {
            if let index = groups.firstIndex(where: { $0.holdsAllBut(verb: permission) }) {
                if !groups[index].verbs.contains(permission.verb) { groups[index].verbs.append(permission.verb) }
            } else {
                groups.append(PermissionGroup(verbs: [permission.verb], first: permission))
            }
        }
        return groups
    }

    private func holdsAllBut(verb permission: Permission) -> Bool {
        var other = permission
        other.verb = first.verb
        return other == first
    }
}

/// The permissions the operator uses, per watched namespace (nil: every namespace).
public enum OperatorPermissions {
    static let group = "pipelines.openmetadata.org"

    /// Every verb the watcher, the executors and the gc call, required ones first; with
    /// `leaseNamespace`, the supervisor's Lease verbs too (leader election).
    public static func all(namespaces: [String], leaseNamespace: String? = nil) -> [Permission] {
        let scopes: [String?] = namespaces.isEmpty ? [nil] : namespaces
        var table: [Permission] = []
        for scope in scopes {
            let runs = "OMJobs are not run"
            table += ["list", "watch", "patch"].map {
                Permission($0, group: group, "omjobs", namespace: scope, required: true, withoutIt: runs)
            }
            table.append(
                Permission(
                    "patch", group: group, "omjobs", subresource: "status", namespace: scope, required: true,
                    withoutIt: runs))
            table += ["list", "watch", "create", "patch", "delete"].map {
                Permission($0, "pods", namespace: scope, required: true, withoutIt: runs)
            }
            let schedules = "CronOMJobs are not scheduled"
            table += ["list", "watch"].map {
                Permission($0, group: group, "cronomjobs", namespace: scope, required: true, withoutIt: schedules)
            }
            table.append(
                Permission("create", group: group, "omjobs", namespace: scope, required: true, withoutIt: schedules))
            table.append(
                Permission(
                    "patch", group: group, "cronomjobs", subresource: "status", namespace: scope, required: true,
                    withoutIt: schedules))
            table.append(
                Permission(
                    "delete", group: group, "omjobs", namespace: scope, required: true,
                    withoutIt: "finished OMJobs past their TTL or history limit are not deleted"))
            table.append(
                Permission(
                    "create", "events", namespace: scope, required: false,
                    withoutIt: "no Events are recorded on OMJobs; runs still end"))
        }
        table += ["list", "watch", "get"].map {
            Permission(
                $0, "nodes", namespace: nil, required: false,
                withoutIt:
                    "node loss is read from the main pod's Ready condition (set by the node controller), not from the node"
            )
        }
        if let leaseNamespace { table += leases(namespace: leaseNamespace) }
        return table
    }

    /// What leader election needs, in the operator's own namespace only. Optional: without it
    /// every replica writes, as a single operator does.
    public static func leases(namespace: String) -> [Permission] {
        ["get", "create", "update"].map {
            Permission(
                $0, group: "coordination.k8s.io", "leases", namespace: namespace, required: false,
                withoutIt:
                    "not leader-elected: every replica writes (two at once still never run an exit handler twice)")
        }
    }

    /// The node permissions: without all of them the watcher does not watch nodes.
    public static func isNodeAccess(_ permission: Permission) -> Bool { permission.resource == "nodes" }
}

/// The answer of the API server's SelfSubjectAccessReview for each permission.
public struct PermissionReview: Sendable, Equatable {
    /// Permissions the server said this identity lacks.
    public var missing: [Permission]

    public init(missing: [Permission]) { self.missing = missing }

    public var missingRequired: [Permission] { missing.filter(\.required) }
    public var watchesNodes: Bool { !missing.contains(where: OperatorPermissions.isNodeAccess) }
}

extension KubeClient {
    /// Asks the API server, as `kubectl auth can-i` does, which of `permissions` this identity
    /// lacks. SelfSubjectAccessReview is granted to every authenticated user by Kubernetes' own
    /// `system:basic-user` role, so this needs no permission of its own; an error is thrown when
    /// the server cannot answer (the caller then learns from 403s instead).
    public func review(_ permissions: [Permission]) async throws(KubeError) -> PermissionReview {
        let reviews = ResourceType(
            group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview",
            plural: "selfsubjectaccessreviews", namespaced: false)
        var missing: [Permission] = []
        for permission in permissions {
            let answer = try await create(
                permission.reviewBody, resource: reviews, namespace: nil, name: nil, answer: JSONValue.self)
            if answer["status"]?["allowed"]?.boolValue != true { missing.append(permission) }
        }
        return PermissionReview(missing: missing)
    }
}
