import Foundation
import KubeJSON

/// `meta.k8s.io/v1` Table responses for `kubectl get` (Name, type-specific columns, Age).
enum TableRenderer {
    static func table(_ type: ResourceType, version: String, objects: [JSONValue], resourceVersion: String) -> JSONValue
    {
        let extra = columns(type, version: version)
        var definitions: [JSONValue] = [
            ["name": "Name", "type": "string", "format": "name", "description": "Name", "priority": 0]
        ]
        definitions += extra.map {
            [
                "name": .string($0.name), "type": .string($0.type), "format": "", "description": "",
                "priority": .int($0.priority),
            ]
        }
        definitions.append(["name": "Age", "type": "string", "format": "", "description": "Age", "priority": 0])
        let rows: [JSONValue] = objects.map { object in
            var cells: [JSONValue] = [.string(object.name)]
            cells += extra.map { $0.value(object) }
            cells.append(.string(age(object)))
            return ["cells": .array(cells), "object": object]
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": .string(resourceVersion)],
            "columnDefinitions": .array(definitions), "rows": .array(rows),
        ]
    }

    struct Column {
        var name: String
        var type: String
        var priority: Int64
        var value: (JSONValue) -> JSONValue
    }

    private static func columns(_ type: ResourceType, version: String) -> [Column] {
        switch type.behavior {
        case .pod:
            return [
                Column(name: "Ready", type: "string", priority: 0) { pod in
                    let statuses = pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []
                    let total = pod[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
                    return .string("\(statuses.filter { $0["ready"]?.boolValue == true }.count)/\(total)")
                },
                Column(name: "Status", type: "string", priority: 0) { pod in
                    .string(PodStatusColumn.text(pod))
                },
                Column(name: "Restarts", type: "integer", priority: 0) { pod in
                    .int(
                        (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(0) {
                            $0 + ($1["restartCount"]?.intValue ?? 0)
                        })
                },
                Column(name: "Node", type: "string", priority: 1) { pod in .string(pod.fieldString("spec.nodeName")) },
            ]
        case .namespace:
            return [Column(name: "Status", type: "string", priority: 0) { .string($0.fieldString("status.phase")) }]
        case .customResource:
            return (type.printerColumns[version] ?? []).compactMap { definition in
                guard let name = definition["name"]?.stringValue, let path = definition["jsonPath"]?.stringValue else {
                    return nil
                }
                if path == ".metadata.creationTimestamp" { return nil }
                let fieldPath = path.split(separator: ".").map(String.init)
                return Column(
                    name: name, type: definition["type"]?.stringValue ?? "string",
                    priority: definition["priority"]?.intValue ?? 0
                ) {
                    $0[path: fieldPath] ?? .null
                }
            }
        default:
            return []
        }
    }

    /// Age like kubectl's `HumanDuration` (short forms).
    static func age(_ object: JSONValue) -> String {
        guard let created = object[path: ["metadata", "creationTimestamp"]]?.stringValue,
            let date = KubeTime.parse(created)
        else { return "<unknown>" }
        let seconds = max(0, Int(Date().timeIntervalSince(date)))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86400 * 2 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }
}
