import Runtime
import Testing

/// `OMJOB_SHARD_SELECTOR` is parsed and matched as the API server does for `labelSelector`.
struct ShardSelectorTests {
    static let key = "app.kubernetes.io/pipeline-type"

    @Test(
        arguments: [
            ("\(key)=metadata", ["\(key)": "metadata"], true),
            ("\(key)==metadata", ["\(key)": "usage"], false),
            ("\(key)!=metadata", ["\(key)": "usage"], true),
            ("\(key)!=metadata", [:], true),  // a missing label is "not equal"
            ("\(key) in (metadata, usage)", ["\(key)": "usage"], true),
            ("\(key) in (metadata,usage)", [:], false),
            ("\(key) notin (metadata,usage)", [:], true),
            ("\(key) notin (metadata,usage)", ["\(key)": "lineage"], true),
            ("\(key) notin (metadata,usage)", ["\(key)": "metadata"], false),
            ("\(key)", ["\(key)": ""], true),
            ("!\(key)", ["\(key)": ""], false),
            ("!\(key)", [:], true),
            ("\(key)=metadata, team in (a,b)", ["\(key)": "metadata", "team": "b"], true),
            ("\(key)=metadata,team in (a,b)", ["\(key)": "metadata", "team": "c"], false),
        ] as [(String, [String: String], Bool)])
    func matchesAsTheServerDoes(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try ShardSelector(text).matches(labels) == expected)
    }

    @Test(arguments: [
        "", "=x", "a=b=c", "a in b", "a in (b", "a notin ()", "a b", "-a=b", "a=-b", "a/b/c=d", ",a=b", "a=b,",
    ])
    func rejects(_ text: String) {
        #expect(throws: ShardSelectorError.self) { try ShardSelector(text) }
    }

    /// Two shards that split on one label cover every OMJob exactly once, unlabelled ones included.
    @Test func complementarySelectorsSplitEveryLabelSetOnce() throws {
        let metadata = try ShardSelector("\(Self.key)=metadata")
        let rest = try ShardSelector("\(Self.key)!=metadata")
        for labels in [["\(Self.key)": "metadata"], ["\(Self.key)": "usage"], [:], ["other": "x"]] {
            #expect(metadata.matches(labels) != rest.matches(labels), "\(labels)")
        }
        #expect(metadata.keys == [Self.key])
    }
}
