// Times Cairn's native ONNX runtime in-process: model load, single-row predictions (a one-row
// table in, the pyfunc-shaped output out) and one large batch on every core (wall time of the
// best run and CPU time per run, which stays meaningful on a busy machine).
// Built by onnx_bench.py together with Sources/CairnInference:
//   swiftc -O -module-name onnx_bench Sources/CairnInference/**/*.swift bench/runtimes/onnx_bench.swift
// Usage: onnx_bench MODEL.onnx ROWS.f32 COLUMNS SINGLE_CALLS BATCH_REPEATS
import Foundation

@main
struct ONNXBench {
    static func main() throws {
        let args = CommandLine.arguments
        guard args.count == 6, let columns = Int(args[3]), let calls = Int(args[4]), let repeats = Int(args[5]) else {
            FileHandle.standardError.write(Data("usage: onnx_bench MODEL ROWS.f32 COLUMNS CALLS REPEATS\n".utf8))
            exit(64)
        }
        let modelBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: args[1])))
        let raw = try Data(contentsOf: URL(fileURLWithPath: args[2]))
        let values: [Float] = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let rows = values.count / columns

        let loadStart = ContinuousClock.now
        let model = try ONNXModel(bytes: modelBytes)
        let loadSeconds = seconds(ContinuousClock.now - loadStart)

        func table(_ range: Range<Int>) throws -> Table {
            try Table(
                columns: (0..<columns).map { c in
                    ("f\(c)", .double(range.map { Double(values[$0 * columns + c]) }))
                })
        }

        // Single rows: each call builds its one-row table and predicts, as a request would.
        var single: [Double] = []
        single.reserveCapacity(calls)
        for i in 0..<calls {
            let r = i % rows
            let start = ContinuousClock.now
            let t = try table(r..<(r + 1))
            _ = try model.predict(t)
            single.append(seconds(ContinuousClock.now - start))
        }
        single.sort()

        let batch = try table(0..<rows)
        var best = Double.infinity
        let cpuStart = clock()
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            _ = try model.predict(batch)
            best = min(best, seconds(ContinuousClock.now - start))
        }
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC) / Double(repeats)
        let result: [String: Double] = [
            "load_ms": loadSeconds * 1e3,
            "single_p50_us": single[single.count / 2] * 1e6,
            "single_p99_us": single[single.count * 99 / 100] * 1e6,
            "batch_rows": Double(rows),
            "batch_best_ms": best * 1e3,
            "batch_cpu_ms": cpu * 1e3,
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
