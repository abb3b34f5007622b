import Testing

@testable import KubeSim

@Suite struct LabelSelectorTests {
    static let labels = ["app": "web", "tier": "front", "env": "prod"]

    @Test(arguments: [
        ("app=web", true), ("app==web", true), ("app=db", false), ("app!=db", true), ("app!=web", false),
        ("env in (prod,staging)", true), ("env in (dev)", false), ("env notin (dev)", true),
        ("env notin (prod)", false),
        ("tier", true), ("missing", false), ("!missing", true), ("!tier", false), ("app=web,tier=front", true),
        ("app=web,tier=back", false), ("missing notin (x)", true), ("", true),
    ])
    func matches(_ selector: String, _ expected: Bool) throws {
        #expect(try LabelSelector.parse(selector).matches(Self.labels) == expected)
    }

    @Test(arguments: ["app=we b", "env in prod", "=x"])
    func rejectsBadSyntax(_ selector: String) {
        #expect(throws: KubeAPIError.self) { try LabelSelector.parse(selector) }
    }

    @Test func fieldSelectorRejectsUnsupportedField() {
        #expect(throws: KubeAPIError.self) { try FieldSelector.parse("spec.image=x", supported: ["metadata.name"]) }
        let selector = try? FieldSelector.parse(
            "status.phase!=Running,metadata.name=a", supported: ["status.phase", "metadata.name"])
        #expect(selector?.matches { ["status.phase": "Pending", "metadata.name": "a"][$0] ?? "" } == true)
        #expect(selector?.matches { ["status.phase": "Running", "metadata.name": "a"][$0] ?? "" } == false)
    }
}
