import Foundation
import HTTPTransport
import KubeJSON
import Models

extension KubeClient {
    /// Opens a watch; the stream of events ends when the server closes it (its timeout) and
    /// throws `KubeError.transport` when the connection breaks. Not retried here: resuming
    /// from the right version is the informer's job. A 410 arrives as an `.error` event (or as
    /// a thrown `KubeError` if the server refuses the watch outright).
    public func watch<T: Decodable & Sendable>(
        _ type: T.Type, resource: ResourceType, namespace: String?, options: WatchOptions
    ) async throws(KubeError) -> WatchEvents<T> {
        let call = Call(
            path: resource.collectionPath(namespace: namespace), query: options.query, accept: options.accept,
            timeout: nil)
        return WatchEvents(lines: try await openLineStream(call))
    }

    /// Opens a long-lived response read line by line (a watch, a followed log): its lines once
    /// the server answered 200; any other answer is read whole and thrown as the API's error.
    func openLineStream(_ call: Call) async throws(KubeError) -> LineBatches {
        let request = try httpRequest(call)
        let stream: HTTPLineStream
        do {
            stream = try await http.streamLines(request)
        } catch let error as TransportError {
            throw .transport(error)
        } catch {
            throw .transport(TransportError(kind: .cancelled, message: "\(error)"))
        }
        guard stream.head.status == 200 else {
            var body = Data()
            do {
                for try await batch in stream.lines {
                    for line in batch {
                        body.append(line)
                        body.append(0x0A)
                    }
                }
            } catch {}
            throw Self.apiError(stream.head, body: body)
        }
        return stream.lines
    }

    public func watch<T: KubernetesObject>(_ type: T.Type, namespace: String?, options: WatchOptions)
        async throws(KubeError) -> WatchEvents<T>
    {
        try await watch(T.self, resource: T.resourceType, namespace: namespace, options: options)
    }
}

/// The events of one watch request, decoded lazily in the consumer's task.
public struct WatchEvents<Object: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>
    let lines: LineBatches

    public func makeAsyncIterator() -> Iterator {
        Iterator(lines: lines.makeAsyncIterator())
    }

    /// Pulls line batches and decodes one event per line; blank lines (keep-alives) are skipped.
    public struct Iterator: AsyncIteratorProtocol {
        var lines: LineBatches.Iterator
        var pending: [Data] = []
        var index = 0
        let decoder = JSONDecoder()
        /// Types read straight from the bytes (pods, OMJobs); others go through `decoder`.
        let readable = Object.self as? any JSONReadable.Type

        /// What `for try await` calls: without it the stdlib's default reaches `next()` through a
        /// thunk that runs it on Swift's global pool, so every event was decoded off the consumer's
        /// executor, with an executor switch each way.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KubeError) -> WatchEvent<Object>?
        {
            try await next()
        }

        public mutating func next() async throws(KubeError) -> WatchEvent<Object>? {
            while true {
                while index < pending.count {
                    let line = pending[index]
                    index += 1
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
                    do {
                        if let readable, let event = try WatchLine<Object>.read(line, as: readable) { return event }
                        return try decoder.decode(WatchLine<Object>.self, from: line).event
                    } catch {
                        throw .decoding("watch event: \(error)")
                    }
                }
                do {
                    guard let batch = try await lines.next() else { return nil }
                    pending = batch
                    index = 0
                } catch let error as TransportError {
                    throw .transport(error)
                } catch {
                    throw .transport(TransportError(kind: .cancelled, message: "\(error)"))
                }
            }
        }
    }
}
