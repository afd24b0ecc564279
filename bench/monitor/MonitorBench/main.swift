import CairnCore
import CairnMonitor
import CairnServingCore
import Foundation

// Monitor throughput and memory over a generated prediction log.
//
//   monitor-bench write DIR ROWS [FEATURES]   writes ROWS records with FEATURES numeric inputs (default 20)
//                                             as predictions-*.jsonl files of 1M records (100 rows a request)
//   monitor-bench read DIR [WINDOW]           reads every file through the monitor (windows of WINDOW
//                                             predictions, default 10000, reference = first window) and
//                                             prints one JSON line: predictions, seconds, CPU seconds,
//                                             predictions per CPU second, peak RSS in MiB
//
// The reading is single-threaded, so predictions per CPU second is the throughput per core.

func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Peak resident set size (VmHWM) in MiB, and the current one (VmRSS).
func memory() -> (peak: Double, now: Double) {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }
    return (field("VmHWM:"), field("VmRSS:"))
}

/// A small seeded generator (SplitMix64), so writing the log is not bound by system random calls.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

let args = CommandLine.arguments
guard args.count >= 3 else { fail("usage: monitor-bench write DIR ROWS [FEATURES] | read DIR [WINDOW]") }
let dir = args[2]
switch args[1] {
case "write":
    guard args.count >= 4, let rows = Int(args[3]) else { fail("write DIR ROWS [FEATURES]") }
    let features = args.count > 4 ? Int(args[4]) ?? 20 : 20
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var rng = SplitMix(state: 2026)
    var fileIndex = 0
    var w = JSONWriter(capacity: 1 << 24)
    var handle: FileHandle?
    for i in 0..<rows {
        if i % 1_000_000 == 0 {
            if let handle {
                try handle.write(contentsOf: w.bytes)
                try handle.close()
            }
            w = JSONWriter(capacity: 1 << 24)
            let path = dir + "/predictions-2026-12-07T\(String(format: "%02d", fileIndex)).jsonl"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            handle = FileHandle(forWritingAtPath: path)
            fileIndex += 1
        }
        var inputs: [(String, JSONValue)] = []
        for f in 0..<features {
            // Box–Muller normal values, printed in full precision as the serving log does.
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            let v = Double.random(in: 0..<1, using: &rng)
            inputs.append(("f\(f)", .double((-2 * log(u)).squareRoot() * cos(2 * .pi * v))))
        }
        PredictionRecord(
            timestampMillis: 1_765_000_000_000 + Int64(i), requestId: "req-\(i / 100)", model: "bench", version: "1",
            role: .primary, row: i % 100, inputs: inputs, output: .int(Int64(i % 2)), latencyMillis: 4.25,
            status: 200
        ).write(&w)
        if w.bytes.count > 1 << 24 {
            try handle?.write(contentsOf: w.bytes)
            w = JSONWriter(capacity: 1 << 24)
        }
    }
    try handle?.write(contentsOf: w.bytes)
    try handle?.close()
case "read":
    let window = args.count > 3 ? Int(args[3]) ?? 10_000 : 10_000
    var monitor = try PredictionMonitor(settings: MonitorSettings(window: .count(window), model: "bench"))
    let wall = Date()
    let cpu = threadCPU()
    var windows = 0
    var unreadable = 0
    var rssAfterFirstFile = 0.0
    for (n, path) in try PredictionLogFiles.list(directory: dir).enumerated() {
        try PredictionLogFiles.readLines(path: path) { line in
            if let reports = monitor.add(line: line) { windows += reports.count } else { unreadable += 1 }
        }
        if n == 0 { rssAfterFirstFile = memory().now }
    }
    if monitor.finish().report != nil { windows += 1 }
    let seconds = Date().timeIntervalSince(wall)
    let cpuSeconds = threadCPU() - cpu
    let m = memory()
    print(
        "{\"predictions\": \(monitor.predictionCount), \"windows\": \(windows), \"unreadable\": \(unreadable), "
            + "\"seconds\": \(String(format: "%.2f", seconds)), \"cpu_seconds\": \(String(format: "%.2f", cpuSeconds)), "
            + "\"predictions_per_cpu_second\": \(Int(Double(monitor.predictionCount) / cpuSeconds)), "
            + "\"rss_after_first_file_mib\": \(String(format: "%.1f", rssAfterFirstFile)), "
            + "\"rss_end_mib\": \(String(format: "%.1f", m.now)), \"peak_rss_mib\": \(String(format: "%.1f", m.peak))}")
default:
    fail("usage: monitor-bench write DIR ROWS [FEATURES] | read DIR [WINDOW]")
}
