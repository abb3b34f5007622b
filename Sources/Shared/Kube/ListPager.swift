/// Reads one list page by page, as client-go's pager does: all pages share the first page's
/// resourceVersion (the server keeps the snapshot), and when the continue token expires (410)
/// the list restarts in one unpaginated request. `KubeClient.list` collects the pages; the
/// informer transforms each page as it arrives, so a large list never holds more than one page
/// of whole objects at once.
public struct ListPager<T: Decodable & Sendable>: Sendable {
    /// One page's items; `restarted` when the continue token expired and these items are the
    /// whole list again (what came before them is to be dropped).
    public struct Page: Sendable {
        public var items: [T]
        public var restarted: Bool
    }

    private let client: KubeClient
    private let resource: ResourceType
    private let namespace: String?
    private var options: ListOptions
    private var finished = false
    /// The snapshot's resourceVersion, once the first page (or the restarted list) was read.
    public private(set) var resourceVersion: String?

    public init(client: KubeClient, resource: ResourceType, namespace: String?, options: ListOptions) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.options = options
    }

    /// The next page, or nil when the list is complete.
    public mutating func next() async throws(KubeError) -> Page? {
        guard !finished else { return nil }
        let page: RawList<T>
        var restarted = false
        do {
            page = try await client.listPage(T.self, resource: resource, namespace: namespace, options: options)
        } catch  where error.isGone && options.continueToken != nil {
            options.continueToken = nil
            options.limit = nil
            page = try await client.listPage(T.self, resource: resource, namespace: namespace, options: options)
            restarted = true
        }
        if resourceVersion == nil || restarted { resourceVersion = page.metadata.resourceVersion }
        if let token = page.metadata.continue, !token.isEmpty, !restarted {
            options.continueToken = token
        } else {
            finished = true
        }
        return Page(items: page.items, restarted: restarted)
    }
}
