import Foundation
import KubeJSON
import Testing

@testable import KubeSim

/// What a human (or another language's test) does with curl: the /kubesim/cluster endpoints.
@Suite struct ControlAPITests {
    static let pods = "/api/v1/namespaces/default/pods"

    @Test func aPodIsDrivenThroughItsLifeOverHTTP() async throws {
        try await withCluster(nodes: 0) { _, client in
            let node = try await client.send("POST", "/kubesim/cluster/nodes", json: ["name": "worker-a"])
            #expect(node.status == 201 && node.json["name"] == "worker-a")
            #expect(try await client.send("POST", Self.pods, json: endingPod()).status == 201)
            let base = "/kubesim/cluster/pods/default/p"
            let scheduled = try await client.send("POST", "\(base)/schedule", json: ["node": "worker-a"])
            #expect(scheduled.status == 200 && scheduled.json.str("spec", "nodeName") == "worker-a")
            #expect(try await client.send("POST", "\(base)/start").json.str("status", "phase") == "Running")
            let ended = try await client.send("POST", "\(base)/terminate", json: ["exitCode": 2])
            #expect(ended.json.str("status", "phase") == "Failed")
            #expect(
                ended.json[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: [
                    "state", "terminated", "exitCode",
                ]] == 2)
            let summary = try await client.send("GET", "/kubesim/cluster").json
            #expect(summary["nodes"] == [["name": "worker-a", "reachable": true]] && summary["clock"] == "manual")
        }
    }

    @Test func nodesAreLostAndDeletedOverHTTP() async throws {
        try await withCluster { sim, client in
            try sim.runningPod(endingPod())
            #expect(try await client.send("POST", "/kubesim/cluster/nodes/kubesim-node-1/lose").status == 200)
            #expect(
                try await client.send("GET", "/api/v1/nodes/kubesim-node-1").json[path: ["spec", "taints"]]?.arrayValue?
                    .count == 2)
            #expect(try await client.send("POST", "/kubesim/cluster/advance", json: ["seconds": 300]).status == 200)
            #expect(try sim.pod("p").isDeleting)
            #expect(try await client.send("DELETE", "/kubesim/cluster/nodes/kubesim-node-1").status == 200)
            #expect(try await client.send("POST", "/kubesim/cluster/advance", json: ["seconds": 40]).status == 200)
            #expect(throws: KubeAPIError.self) { try sim.pod("p") }
        }
    }

    @Test func mistakesGetAStatusNamingTheProblem() async throws {
        try await withCluster { sim, client in
            try sim.store.create(.pods, namespace: "default", object: endingPod())
            let unknownNode = try await client.send(
                "POST", "/kubesim/cluster/pods/default/p/schedule", json: ["node": "nope"])
            #expect(unknownNode.status == 404 && (unknownNode.json["message"]?.stringValue ?? "").contains("nope"))
            let notBound = try await client.send("POST", "/kubesim/cluster/pods/default/p/start")
            #expect(notBound.status == 409)
            let badAction = try await client.send("POST", "/kubesim/cluster/pods/default/p/explode")
            #expect(badAction.status == 400 && (badAction.json["message"]?.stringValue ?? "").contains("explode"))
            let noPod = try await client.send("POST", "/kubesim/cluster/pods/default/ghost/start")
            #expect(noPod.status == 404)
            #expect(try await client.send("GET", "/kubesim/nowhere").status == 404)
            let badBody = try await client.send(
                "POST", "/kubesim/cluster/pods/default/p/terminate", body: Array("{".utf8))
            #expect(badBody.status == 400)
            #expect(
                try await client.send("GET", "/api/v1/namespaces/default/pods/p").status == 200, "kubesim keeps serving"
            )
        }
    }

    @Test func controlEndpointsNeedTheToken() async throws {
        try await withSim(.init(token: "secret", threads: 1)) { sim, client in
            #expect(try await client.send("GET", "/kubesim/faults").status == 200)
            let anonymous = try await SimHTTPClient.connect(port: sim.port)
            #expect(try await anonymous.send("GET", "/kubesim/faults").status == 401)
            await anonymous.close()
        }
    }
}
