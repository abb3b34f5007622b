import Testing

@testable import Shared

@Suite struct InternerTests {
    /// The address of a string's heap buffer (nil when stored inline).
    static func buffer(_ s: String) -> UnsafeRawPointer? {
        var s = s
        return s.withUTF8 { $0.count > 15 ? UnsafeRawPointer($0.baseAddress) : nil }
    }

    @Test func equalLongStringsShareOneBuffer() {
        var interner = Interner()
        let a = interner.intern(String("app.kubernetes.io/" + "managed-by"))
        let b = interner.intern(String("app.kubernetes.io/" + "managed-by"))
        #expect(a == b)
        #expect(Self.buffer(a) != nil && Self.buffer(a) == Self.buffer(b))
        #expect(interner.count == 1)
        _ = interner.intern("short")  // inline strings are not pooled
        #expect(interner.count == 1)
    }

    @Test func metadataKeepsItsValuesWhenInterned() {
        var interner = Interner()
        var meta = ObjectMeta(
            name: "p", namespace: "openmetadata", labels: ["omjob.pipelines.openmetadata.org/name": "run-1"],
            finalizers: ["pipelines.openmetadata.org/exit-handler"])
        meta.uid = "0f8c7a1e-0000-4000-8000-000000000001"
        #expect(meta.interned(&interner) == meta)
        #expect(interner.count == 2, "the label key and the finalizer list; name, uid and short values are not pooled")
    }
}
