import Testing

@testable import Shared

@Suite struct InformerStoreTests {
    static func w(_ name: String, _ rv: Int) -> Widget {
        var meta = ObjectMeta(name: name, namespace: "ns")
        meta.resourceVersion = String(rv)
        return Widget(metadata: meta)
    }

    static func describe(_ n: InformerNotification<Widget>) -> String {
        switch n {
        case .added(let o): "add \(o.metadata.name!)@\(o.metadata.resourceVersion!)"
        case .updated(let old, let new):
            "update \(new.metadata.name!)@\(old.metadata.resourceVersion!)->\(new.metadata.resourceVersion!)"
        case .deleted(let o): "delete \(o.metadata.name!)@\(o.metadata.resourceVersion!)"
        }
    }

    @Test func relistEmitsAddsUpdatesAndTheDeletionsTheWatchMissed() {
        var store = InformerStore<Widget>()
        _ = store.replace(with: [Self.w("a", 1), Self.w("b", 2), Self.w("c", 3)])
        let notes = store.replace(with: [Self.w("a", 1), Self.w("b", 7), Self.w("d", 8)]).map(Self.describe)
        #expect(notes == ["update b@2->7", "add d@8", "delete c@3"])
        #expect(store.count == 3)
    }

    static let events: [(WatchEvent<Widget>, String?)] = [
        (.added(w("new", 5)), "add new@5"),
        (.added(w("a", 1)), nil),  // a replay of the stored version
        (.modified(w("a", 1)), nil),
        (.modified(w("a", 6)), "update a@1->6"),
        (.modified(w("ghost", 6)), "add ghost@6"),
        (.deleted(w("a", 9)), "delete a@9"),
        (.deleted(w("never-seen", 9)), nil),
        (.bookmark(resourceVersion: "10"), nil),
        (.error(Status(code: 410)), nil),
    ]

    @Test(arguments: events)
    func watchEventsBecomeOneNotificationAtMost(event: WatchEvent<Widget>, expected: String?) {
        var store = InformerStore<Widget>()
        _ = store.replace(with: [Self.w("a", 1)])
        #expect(store.apply(event).map(Self.describe) == expected)
    }
}
