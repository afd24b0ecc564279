import CairnCore
import CairnServingCore
import Foundation

/// Reads a prediction log folder back into a ``RolloutReport``.
public enum PredictionLogReader {
    /// The report over every file in `directory`, and how many lines could not be read.
    public static func report(directory: String) throws -> (RolloutReport, skipped: Int) {
        var report = RolloutReport()
        var skipped = 0
        for path in try PredictionLog.files(in: directory) {
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            var buffer: [UInt8] = []
            func take(_ line: ArraySlice<UInt8>) {
                guard !line.isEmpty else { return }
                if let json = try? JSONParser.parse(Array(line)), let record = PredictionRecord(json: json) {
                    report.add(record)
                } else if let json = try? JSONParser.parse(Array(line)), json["kind"]?.text == LabelRecord.kind {
                    // Labels from POST /feedback: not predictions, and not damaged lines either.
                } else {
                    skipped += 1
                }
            }
            while true {
                let data = handle.readData(ofLength: 1 << 20)
                if data.isEmpty { break }
                buffer.append(contentsOf: data)
                var start = 0
                while let nl = buffer[start...].firstIndex(of: 10) {
                    take(buffer[start..<nl])
                    start = nl + 1
                }
                buffer.removeFirst(start)
            }
            take(buffer[...])
        }
        return (report, skipped)
    }
}
