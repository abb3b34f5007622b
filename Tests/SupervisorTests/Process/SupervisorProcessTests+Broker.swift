import Foundation
import KubeJSON
import TestSupport
import Testing

@testable import Shared

/// Broker behaviour through the real socket: lost executors, garbage, drain.
extension SupervisorProcessTests {
    func command(_ id: String, _ name: String, delayMs: Int64) -> IPCMessage {
        .command(
            CommandEnvelope(id: id, key: ObjectKey(namespace: "ns", name: name), payload: ["delayMs": .int(delayMs)]))
    }

    /// The broker's in-flight ledger, via `ctl inflight`: command id → executor pid.
    func inflight(_ ctl: BrokerClient) throws -> [String: Int64] {
        ctl.send(.ctl(.inflight))
        while true {
            if case .ctlReply(let body) = try ctl.next() {
                var out: [String: Int64] = [:]
                for entry in body.arrayValue ?? [] {
                    if let id = entry["id"]?.stringValue, let pid = entry["executor"]?.intValue { out[id] = pid }
                }
                return out
            }
        }
    }

    @Test func killDashNineOfAnExecutorLosesNoCommand() async throws {
        try await withSupervisor { supervisor, _ in
            _ = try await supervisor.waitReady()
            let requester = try BrokerClient.hello(path: supervisor.socketPath)
            let ctl = try BrokerClient.hello(path: supervisor.socketPath)
            let ids = (0..<40).map { "cmd-\($0)" }
            // Long enough that all 40 are still held when a loaded machine gets round to asking.
            for (i, id) in ids.enumerated() { requester.send(command(id, "run-\(i % 10)", delayMs: 6000)) }
            var held: [String: Int64] = [:]
            #expect(
                await eventually {
                    held = (try? inflight(ctl)) ?? [:]
                    return held.count == ids.count
                })
            let victim = try #require(held.values.first)
            #expect(Set(held.values).count == 2, "both executors hold commands")
            kill(Int32(victim), SIGKILL)
            var answers: [String: Int] = [:]
            while answers.count < ids.count {
                if case .result(let result) = try requester.next(timeout: 30) {
                    answers[result.id, default: 0] += 1
                    #expect(result.error == nil)
                }
            }
            // Anything late would be a second result: wait past the commands' own delay.
            #expect(!requester.closedByPeer(timeout: 2))
            for case .result(let late) in requester.buffered { answers[late.id, default: 0] += 1 }
            #expect(answers == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))
            #expect(
                await eventually { !supervisor.supervisorLogs("executor gone; re-dispatching its commands").isEmpty })
        }
    }

    @Test func garbageClosesOnlyTheOffendingConnection() async throws {
        try await withSupervisor { supervisor, _ in
            let port = try await supervisor.waitReady()
            let bystander = try BrokerClient.hello(path: supervisor.socketPath)
            let garbage: [(String, [UInt8])] = [
                ("random bytes", [0xff, 0x13, 0x00, 0x7f, 0x80, 0x41, 0x0a]),
                ("2 GiB length", Array("2147483648\n".utf8)),
                ("bad JSON", Array("5\nhello\n".utf8)),
                ("unknown type", FrameCodec.encode(Array(#"{"v":1,"type":"format-disk","role":"ctl"}"#.utf8))),
                ("no hello first", IPCMessage.ready.frame()),
            ]
            for (name, bytes) in garbage {
                let bad = try BrokerClient(path: supervisor.socketPath)
                bad.sendRaw(bytes)
                #expect(bad.closedByPeer(), "\(name): connection should be closed")
            }
            // A valid hello and command split into single bytes is not garbage.
            let slow = try BrokerClient(path: supervisor.socketPath)
            for byte in IPCMessage.hello(Hello(role: "ctl", pid: 1)).frame()
                + command("split-1", "a", delayMs: 0).frame()
            {
                slow.sendRaw([byte])
            }
            guard case .welcome = try slow.next() else {
                Issue.record("no welcome")
                return
            }
            guard case .result(let result) = try slow.next() else {
                Issue.record("no result")
                return
            }
            #expect(result.id == "split-1")
            // Everyone else kept working, and nothing crashed.
            bystander.send(.ctl(.status))
            guard case .ctlReply(let status) = try bystander.next() else {
                Issue.record("no status")
                return
            }
            #expect(status["children"]?.arrayValue?.count == 4)
            #expect(try LoopbackHTTP.get(port: port, path: "/ready").status == 200)
            #expect(await eventually { supervisor.supervisorLogs("broker connection closed").count >= garbage.count })
            #expect(supervisor.process.isRunning)
        }
    }

    @Test func sigtermDrainsInFlightCommandsAndLeavesNoProcess() async throws {
        try await withSupervisor { supervisor, _ in
            let port = try await supervisor.waitReady()
            let info = try LoopbackHTTP.get(port: port, path: "/info").body
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(info.utf8))
            let pids = (document["children"]?.arrayValue ?? []).compactMap { $0["pid"]?.intValue }.map(Int32.init)
            #expect(pids.count == 4)
            let requester = try BrokerClient.hello(path: supervisor.socketPath)
            let ctl = try BrokerClient.hello(path: supervisor.socketPath)
            for i in 0..<6 { requester.send(command("drain-\(i)", "run-\(i)", delayMs: 1000)) }
            #expect(await eventually { ((try? inflight(ctl)) ?? [:]).count == 6 })
            supervisor.signal(SIGTERM)
            var results = 0
            while results < 6, case .result(let result) = try requester.next(timeout: 15) {
                #expect(result.error == nil, "\(result)")
                results += 1
            }
            #expect(results == 6)
            #expect(await supervisor.waitExit(timeout: 15) == 0)
            #expect(
                await eventually(timeout: 15) { pids.allSatisfy(processIsGone) },
                "children left: \(pids.filter { !processIsGone($0) })")
            #expect(!FileManager.default.fileExists(atPath: supervisor.socketPath))
        }
    }

    @Test func childrenDieWithAKilledSupervisor() async throws {
        try await withSupervisor { supervisor, _ in
            let port = try await supervisor.waitReady()
            let info = try JSONDecoder().decode(
                JSONValue.self, from: Data(try LoopbackHTTP.get(port: port, path: "/info").body.utf8))
            let pids = (info["children"]?.arrayValue ?? []).compactMap { $0["pid"]?.intValue }.map(Int32.init)
            #expect(pids.count == 4)
            supervisor.signal(SIGKILL)
            #expect(await supervisor.waitExit() != nil)
            // PR_SET_PDEATHSIG and the socket's EOF each end the workers; none is left behind.
            #expect(await eventually { pids.allSatisfy(processIsGone) }, "left: \(pids.filter { !processIsGone($0) })")
        }
    }
}
