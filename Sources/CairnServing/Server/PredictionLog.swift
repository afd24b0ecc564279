import CairnCore
import CairnServingCore
import Foundation
import Synchronization

/// Appends prediction records to JSON Lines files named `predictions-YYYY-MM-DDTHH.jsonl` (UTC
/// hour; `.N` before the extension once a file passes `maxFileBytes`), off the request path.
///
/// Requests hand over serialised records and never wait: a full queue or a failing disk drops
/// them, and the drop is counted. One thread writes.
public final class PredictionLog: Sendable {
    /// The folder the files go to.
    public let directory: String
    let maxFileBytes: Int
    private let queue: BlockingQueue<(hour: String, bytes: [UInt8], records: Int)>
    private let dropped: @Sendable (Int) -> Void
    private let observer: (any PredictionLogObserver)?
    private let done = Mutex(false)

    /// Opens (creating) the folder and starts the writer thread; `dropped` hears about lost records and
    /// `observer` sees every record on the writer thread.
    public init(
        directory: String, maxFileBytes: Int = 256 << 20, queueCapacity: Int = 4096,
        observer: (any PredictionLogObserver)? = nil, dropped: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.maxFileBytes = maxFileBytes
        self.queue = BlockingQueue(capacity: queueCapacity)
        self.observer = observer
        self.dropped = dropped
        let thread = Thread { [self] in self.writeLoop() }
        thread.name = "cairn-prediction-log"
        thread.start()
    }

    /// Queues records (already serialised as lines) stamped at `millis`.
    public func append(_ bytes: [UInt8], records: Int, millis: Int64) {
        if !queue.push((RFC3339.hourStem(millis: millis), bytes, records)) { dropped(records) }
    }

    /// Writes what is queued and stops the writer.
    public func close() async {
        queue.close()
        while !done.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
    }

    private func writeLoop() {
        var file: FileHandle? = nil
        var hour = ""
        var part = 0
        var written = 0
        defer {
            try? file?.close()
            done.withLock { $0 = true }
        }
        while let items = queue.wait(take: { waiting -> [(hour: String, bytes: [UInt8], records: Int)] in
            defer { waiting.removeAll() }
            return waiting
        }) {
            for item in items {
                observer?.observe(item.bytes)
                if item.hour != hour || written >= maxFileBytes || file == nil {
                    try? file?.close()
                    file = nil
                    if item.hour != hour {
                        hour = item.hour
                        part = 0
                    } else if written >= maxFileBytes {
                        part += 1
                    }
                    (file, written, part) = open(hour: hour, part: part)
                }
                guard let handle = file else {
                    dropped(item.records)
                    continue
                }
                do {
                    try handle.write(contentsOf: item.bytes)
                    written += item.bytes.count
                } catch {
                    dropped(item.records)
                    try? handle.close()
                    file = nil
                }
            }
        }
    }

    /// Opens the file for `hour`, moving past parts that are already full.
    private func open(hour: String, part: Int) -> (FileHandle?, Int, Int) {
        var part = part
        while true {
            let name = "predictions-\(hour)" + (part == 0 ? "" : ".\(part)") + ".jsonl"
            let path = directory + "/" + name
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else { return (nil, 0, part) }
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size >= maxFileBytes {
                part += 1
                continue
            }
            guard let handle = FileHandle(forWritingAtPath: path) else { return (nil, 0, part) }
            _ = try? handle.seekToEnd()
            return (handle, size, part)
        }
    }

    /// The log files in a folder, oldest first.
    public static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("predictions-") && $0.hasSuffix(".jsonl") }
            .sorted { a, b in sortKey(a) < sortKey(b) }
            .map { directory + "/" + $0 }
    }

    static func sortKey(_ name: String) -> (String, Int) {
        let stem = name.dropFirst("predictions-".count).dropLast(".jsonl".count)
        let parts = stem.split(separator: ".")
        return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
    }
}
