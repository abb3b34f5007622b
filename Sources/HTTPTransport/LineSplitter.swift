import Foundation

/// Cuts a byte stream into `\n`-terminated lines (the framing of watch streams and logs),
/// carrying a partial line over to the next chunk. A trailing `\r` is kept: JSON ignores it.
struct LineSplitter {
    private var partial = Data()

    /// The complete lines in `chunk`, preceded by whatever was left over from earlier chunks.
    mutating func feed(_ chunk: UnsafeRawBufferPointer) -> [Data] {
        var lines: [Data] = []
        guard let base = chunk.baseAddress else { return lines }
        var start = 0
        // memchr: a watch event is kilobytes, and a generic search went byte by byte.
        while start < chunk.count, let hit = memchr(base + start, Int32(UInt8(ascii: "\n")), chunk.count - start) {
            let newline = base.distance(to: UnsafeRawPointer(hit))
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<newline])
            if partial.isEmpty {
                lines.append(Data(piece))
            } else {
                partial.append(contentsOf: piece)
                lines.append(partial)
                partial = Data()
            }
            start = newline + 1
        }
        if start < chunk.count { partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...])) }
        return lines
    }

    /// The unterminated last line, if the stream ended without a final `\n`.
    mutating func finish() -> Data? {
        defer { partial = Data() }
        return partial.isEmpty ? nil : partial
    }
}
