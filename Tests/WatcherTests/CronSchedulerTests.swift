import Foundation
import Shared
import Testing

@testable import Watcher

@Suite struct CronSchedulerTests {
    /// One scheduling situation and what must come out of it.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var now: String
        var schedule = "0 * * * *"
        var timeZone: String? = "UTC"
        var policy: ConcurrencyPolicy = .allow
        var startingDeadlineSeconds: Int?
        var suspend = false
        var lastScheduleTime: String?
        /// Runs: (slot, phase, completionTime, being deleted).
        var runs: [RunShape] = []
        var creates: String?
        var deletes: [String] = []
        var events: [String] = []
        var message: String?
        var wakeAt: String?
        var testDescription: String { name }
    }

    struct RunShape: Sendable {
        var slot: String
        var phase: OMJobPhase?
        var completed: String?
        var deleting = false
    }

    static let cases: [Case] = [
        Case(
            name: "first slot after creation runs on time", now: "2026-03-10T10:00:05Z",
            creates: "2026-03-10T10:00:00Z", events: ["SuccessfulCreate"], message: "", wakeAt: "2026-03-10T11:00:00Z"),
        Case(name: "nothing before the first slot", now: "2026-03-10T09:45:00Z", wakeAt: "2026-03-10T10:00:00Z"),
        Case(
            name: "after downtime only the latest missed slot runs", now: "2026-03-10T15:20:00Z",
            lastScheduleTime: "2026-03-10T10:00:00Z",
            creates: "2026-03-10T15:00:00Z", events: ["SuccessfulCreate"], message: "", wakeAt: "2026-03-10T16:00:00Z"),
        Case(
            name: "missed by more than startingDeadlineSeconds: recorded and skipped", now: "2026-03-10T15:20:00Z",
            startingDeadlineSeconds: 600, lastScheduleTime: "2026-03-10T10:00:00Z", events: ["MissedSchedule"],
            message: "Slot 2026-03-10T15:00:00Z was missed by more than startingDeadlineSeconds (600s) and is skipped.",
            wakeAt: "2026-03-10T16:00:00Z"),
        Case(
            name: "late but within startingDeadlineSeconds runs", now: "2026-03-10T15:09:59Z",
            startingDeadlineSeconds: 600,
            lastScheduleTime: "2026-03-10T10:00:00Z", creates: "2026-03-10T15:00:00Z", events: ["SuccessfulCreate"],
            message: "",
            wakeAt: "2026-03-10T16:00:00Z"),
        Case(
            name: "late by exactly startingDeadlineSeconds still runs", now: "2026-03-10T15:10:00Z",
            startingDeadlineSeconds: 600,
            lastScheduleTime: "2026-03-10T10:00:00Z", creates: "2026-03-10T15:00:00Z", events: ["SuccessfulCreate"],
            message: "",
            wakeAt: "2026-03-10T16:00:00Z"),
        Case(
            name: "more than 100 missed slots: a warning, and the latest runs", now: "2026-03-11T10:00:30Z",
            schedule: "* * * * *",
            lastScheduleTime: "2026-03-10T10:00:00Z", creates: "2026-03-11T10:00:00Z",
            events: ["SuccessfulCreate", "TooManyMissedTimes"],
            message: "", wakeAt: "2026-03-11T10:01:00Z"),
        Case(
            name: "Forbid waits while a run is active", now: "2026-03-10T11:00:01Z", policy: .forbid,
            lastScheduleTime: "2026-03-10T10:00:00Z",
            runs: [RunShape(slot: "2026-03-10T10:00:00Z", phase: .running)], events: ["RunAlreadyActive"],
            message:
                "Slot 2026-03-10T11:00:00Z waits: om-cronjob-mysql-pipeline-1773136800 still running (concurrencyPolicy Forbid).",
            wakeAt: "2026-03-10T12:00:00Z"),
        Case(
            name: "Forbid counts a run whose exit handler still runs after a kill", now: "2026-03-10T11:00:01Z",
            policy: .forbid,
            lastScheduleTime: "2026-03-10T10:00:00Z",
            runs: [RunShape(slot: "2026-03-10T10:00:00Z", phase: .exitHandlerRunning, deleting: true)],
            events: ["RunAlreadyActive"],
            message:
                "Slot 2026-03-10T11:00:00Z waits: om-cronjob-mysql-pipeline-1773136800 still running (concurrencyPolicy Forbid).",
            wakeAt: "2026-03-10T12:00:00Z"),
        Case(
            name: "Forbid runs once the previous run finished", now: "2026-03-10T11:00:01Z", policy: .forbid,
            lastScheduleTime: "2026-03-10T10:00:00Z",
            runs: [RunShape(slot: "2026-03-10T10:00:00Z", phase: .failed, completed: "2026-03-10T10:40:00Z")],
            creates: "2026-03-10T11:00:00Z", events: ["SuccessfulCreate"], message: "", wakeAt: "2026-03-10T12:00:00Z"),
        Case(
            name: "Replace deletes the active run and starts the new one", now: "2026-03-10T11:00:01Z",
            policy: .replace,
            lastScheduleTime: "2026-03-10T10:00:00Z", runs: [RunShape(slot: "2026-03-10T10:00:00Z", phase: .running)],
            creates: "2026-03-10T11:00:00Z", deletes: [CronFixtures.runName("2026-03-10T10:00:00Z")],
            events: ["ReplacedActiveRun", "SuccessfulCreate"], message: "", wakeAt: "2026-03-10T12:00:00Z"),
        Case(
            name: "Replace does not delete a run already being deleted", now: "2026-03-10T11:00:01Z", policy: .replace,
            lastScheduleTime: "2026-03-10T10:00:00Z",
            runs: [RunShape(slot: "2026-03-10T10:00:00Z", phase: .exitHandlerRunning, deleting: true)],
            creates: "2026-03-10T11:00:00Z", events: ["SuccessfulCreate"], message: "", wakeAt: "2026-03-10T12:00:00Z"),
        Case(
            name: "Allow overlaps", now: "2026-03-10T11:00:01Z", lastScheduleTime: "2026-03-10T10:00:00Z",
            runs: [RunShape(slot: "2026-03-10T10:00:00Z", phase: .running)], creates: "2026-03-10T11:00:00Z",
            events: ["SuccessfulCreate"], message: "", wakeAt: "2026-03-10T12:00:00Z"),
        Case(
            name: "suspended: nothing runs, nothing to wake for", now: "2026-03-10T11:00:01Z", suspend: true,
            lastScheduleTime: "2026-03-10T10:00:00Z", message: "Suspended: no new runs are created."),
        Case(
            name: "invalid schedule: message and Warning, no wake-up", now: "2026-03-10T11:00:01Z",
            schedule: "0 25 * * *",
            events: ["InvalidSchedule"],
            message: "Cannot schedule: spec.schedule: invalid hour field \"25\": 25 is outside 0-23"),
        Case(
            name: "invalid time zone: message and Warning", now: "2026-03-10T11:00:01Z", timeZone: "Europe/Atlantis",
            events: ["InvalidSchedule"],
            message:
                "Cannot schedule: spec.timeZone: unknown time zone \"Europe/Atlantis\" (use an IANA name such as Europe/Berlin)"
        ),
        Case(
            name: "slot in Berlin's spring-forward gap runs at 03:00 CEST", now: "2026-03-29T01:00:10Z",
            schedule: "30 2 * * *",
            timeZone: "Europe/Berlin", lastScheduleTime: "2026-03-28T01:30:00Z", creates: "2026-03-29T01:00:00Z",
            events: ["SuccessfulCreate"], message: "", wakeAt: "2026-03-30T00:30:00Z"),
        Case(
            name: "New York's repeated 01:00 does not run a second time", now: "2026-11-01T01:00:30-05:00",
            schedule: "0 1 * * *",
            timeZone: "America/New_York", lastScheduleTime: "2026-11-01T05:00:00Z", wakeAt: "2026-11-02T01:00:00-05:00"),
        Case(
            name: "a run found by name is not created again (status write was lost)", now: "2026-03-10T10:00:30Z",
            runs: [RunShape(slot: "2026-03-10T10:00:00Z", phase: .pending)], wakeAt: "2026-03-10T11:00:00Z"),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) throws {
        let decision = CronScheduler.decide(
            CronObservation(
                cron: try Self.cron(for: c), runs: try Self.runs(for: c),
                now: Date(timeIntervalSince1970: TimeInterval(epoch(c.now))),
                newRunID: "f3b6c1d2-0000-4000-8000-000000000001"))
        let actions = decision.commands.map(\.action)
        let created = actions.compactMap { if case .createOMJob(let p) = $0 { p.omJob.metadata.name } else { nil } }
        let deleted = actions.compactMap { if case .deleteOMJob(let p) = $0 { p.name } else { nil } }
        let events = actions.compactMap { if case .recordEvent(let p) = $0 { p.event.reason } else { nil } }
        let status = actions.compactMap { if case .patchCronOMJobStatus(let p) = $0 { p.status } else { nil } }.first
        #expect(created == (c.creates.map { [CronFixtures.runName($0)] } ?? []))
        #expect(deleted == c.deletes)
        #expect(events.sorted() == c.events.sorted())
        #expect(status?.message == c.message)
        if let slot = c.creates {
            #expect(status?.lastScheduleTime == slot)
            #expect(status?.lastOMJobName == CronFixtures.runName(slot))
            #expect(status?.active?.contains { $0.name == CronFixtures.runName(slot) } == true)
        }
        #expect(rfc3339(decision.wakeAt.map { Int64($0.timeIntervalSince1970) }) == rfc3339(c.wakeAt.map(epoch)))
    }

    /// Writes come in a safe order: deletions and the create before the status recording them.
    @Test func createPrecedesStatusPrecedesEvents() throws {
        let c = Self.cases.first { $0.name.hasPrefix("Replace deletes") }!
        let decision = CronScheduler.decide(
            CronObservation(
                cron: try Self.cron(for: c), runs: try Self.runs(for: c),
                now: Date(timeIntervalSince1970: TimeInterval(epoch(c.now))), newRunID: "id"))
        #expect(
            decision.commands.map(\.action.type) == [
                "deleteOMJob", "createOMJob", "patchCronOMJobStatus", "recordEvent", "recordEvent",
            ])
        #expect(
            decision.commands.allSatisfy {
                $0.key == ObjectKey(namespace: "openmetadata-pipelines", name: "om-cronjob-mysql-pipeline")
            })
        #expect(
            decision.commands.first { $0.action.type == "patchCronOMJobStatus" }.map {
                if case .patchCronOMJobStatus(let p) = $0.action { p.resourceVersion } else { "" }
            } == "500")
    }

    /// A restarted watcher that sees its own writes applied decides nothing more, and the same
    /// observation always gives the same commands (deterministic ids and names).
    @Test(arguments: cases.filter { $0.creates != nil || !$0.events.isEmpty })
    func idempotentAfterApplyingItsOwnWrites(_ c: Case) throws {
        var cron = try Self.cron(for: c)
        var runs = try Self.runs(for: c)
        let now = Date(timeIntervalSince1970: TimeInterval(epoch(c.now)))
        let first = CronScheduler.decide(CronObservation(cron: cron, runs: runs, now: now, newRunID: "id-1"))
        #expect(first == CronScheduler.decide(CronObservation(cron: cron, runs: runs, now: now, newRunID: "id-1")))
        for command in first.commands {
            switch command.action {
            case .createOMJob(let p):
                var run = p.omJob
                run.metadata.uid = "uid-new"
                runs.append(run)
            case .deleteOMJob(let p):
                if let i = runs.firstIndex(where: { $0.metadata.name == p.name }) {
                    runs[i].metadata.deletionTimestamp = c.now
                }
            case .patchCronOMJobStatus(let p): cron.status = p.status
            case .recordEvent: break
            }
        }
        let second = CronScheduler.decide(CronObservation(cron: cron, runs: runs, now: now, newRunID: "id-2"))
        let writes = second.commands.filter { $0.action.type != "patchCronOMJobStatus" }
        #expect(writes.isEmpty, "second decision wrote \(writes.map(\.action.type))")
    }

    /// The status write lands before the informer shows the new run: the next decision neither
    /// creates the run again nor rewrites the status without it.
    @Test func cacheLagAfterCreateCostsNoExtraWrite() throws {
        var cron = try CronFixtures.cron()
        let now = Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T10:00:05Z")))
        let first = CronScheduler.decide(CronObservation(cron: cron, runs: [], now: now, newRunID: "id-1"))
        guard
            case .patchCronOMJobStatus(let patch)? = first.commands.first(where: {
                $0.action.type == "patchCronOMJobStatus"
            })?.action
        else {
            Issue.record("no status write")
            return
        }
        cron.status = patch.status
        let second = CronScheduler.decide(
            CronObservation(cron: cron, runs: [], now: now.addingTimeInterval(1), newRunID: "id-2"))
        #expect(second.commands.isEmpty)
    }

    @Test func invalidScheduleWarnsOncePerGenerationAndRetriesAfterAnEdit() throws {
        var cron = try CronFixtures.cron()
        cron.spec!.schedule = "every hour"
        let now = Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T11:00:01Z")))
        let first = CronScheduler.decide(CronObservation(cron: cron, runs: [], now: now, newRunID: "id"))
        guard case .patchCronOMJobStatus(let patch)? = first.commands.first?.action else {
            Issue.record("no status")
            return
        }
        #expect(patch.status.message?.contains("expected 5 fields") == true)
        cron.status = patch.status
        #expect(CronScheduler.decide(CronObservation(cron: cron, runs: [], now: now, newRunID: "id")).commands.isEmpty)
        cron.spec!.schedule = "0 * * * *"
        cron.metadata.generation = 2
        let edited = CronScheduler.decide(CronObservation(cron: cron, runs: [], now: now, newRunID: "id"))
        #expect(edited.commands.map(\.action.type).contains("createOMJob"))
        #expect(edited.wakeAt != nil)
    }

    @Test func deletedCronOMJobDecidesNothing() throws {
        var cron = try CronFixtures.cron()
        cron.metadata.deletionTimestamp = "2026-03-10T10:59:00Z"
        let decision = CronScheduler.decide(
            CronObservation(
                cron: cron, runs: [], now: Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T11:00:01Z"))),
                newRunID: "id"))
        #expect(decision == CronDecision())
    }

    @Test func runsOfAnotherOwnerAreIgnored() throws {
        let cron = try CronFixtures.cron()
        var stranger = CronFixtures.run(of: cron, slot: "2026-03-10T10:00:00Z", phase: .running)
        stranger.metadata.annotations?[CronOwnership.annotation] = "someone-else"
        let decision = CronScheduler.decide(
            CronObservation(
                cron: cron, runs: [stranger],
                now: Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T10:00:05Z"))), newRunID: "id"))
        // The name is taken by a stranger: we still ask (the executor refuses to adopt it), and it is not "active".
        #expect(decision.commands.map(\.action.type).contains("createOMJob"))
        let patch = try #require(decision.commands.first(where: { $0.action.type == "patchCronOMJobStatus" })?.action)
        guard case .patchCronOMJobStatus(let p) = patch else {
            Issue.record("not a status patch: \(patch)")
            return
        }
        #expect(p.status.active?.compactMap(\.uid) == [])
    }

    /// OpenMetadata deletes and re-creates its CronOMJobs on every redeploy: the new one (another
    /// UID, the same name) sees its predecessor's run as its own, so Forbid still holds.
    @Test func aReCreatedCronOMJobKeepsItsPredecessorsRuns() throws {
        var cron = try CronFixtures.cron()
        let running = CronFixtures.run(of: cron, slot: "2026-03-10T10:00:00Z", phase: .running)
        cron.metadata.uid = "a-new-incarnation"
        cron.spec!.concurrencyPolicy = .forbid
        let decision = CronScheduler.decide(
            CronObservation(
                cron: cron, runs: [running],
                now: Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T11:00:05Z"))), newRunID: "id"))
        #expect(
            !decision.commands.map(\.action.type).contains("createOMJob"),
            "Forbid: the predecessor's run is still running")
    }

    @Test(arguments: [0, nil] as [Int?])
    func aStartingDeadlineOfZeroMeansNone(deadline: Int?) throws {
        var cron = try CronFixtures.cron()
        cron.spec!.startingDeadlineSeconds = deadline
        var status = CronOMJobStatus()
        status.lastScheduleTime = "2026-03-10T09:00:00Z"
        cron.status = status
        let late = Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T10:30:00Z")))
        let decision = CronScheduler.decide(CronObservation(cron: cron, runs: [], now: late, newRunID: "id"))
        #expect(
            decision.commands.map(\.action.type).contains("createOMJob"), "the 10:00 slot still runs, 30 minutes late")
    }

    static func cron(for c: Case) throws -> CronOMJob {
        var cron = try CronFixtures.cron()
        cron.spec!.schedule = c.schedule
        cron.spec!.timeZone = c.timeZone
        cron.spec!.concurrencyPolicy = c.policy
        cron.spec!.startingDeadlineSeconds = c.startingDeadlineSeconds
        cron.spec!.suspend = c.suspend
        if let last = c.lastScheduleTime {
            var status = CronOMJobStatus()
            status.lastScheduleTime = last
            cron.status = status
        }
        return cron
    }

    static func runs(for c: Case) throws -> [OMJob] {
        let cron = try CronFixtures.cron()
        return c.runs.map {
            CronFixtures.run(of: cron, slot: $0.slot, phase: $0.phase, completed: $0.completed, deleting: $0.deleting)
        }
    }
}
