import CairnCore
import CairnServer
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Hummingbird
import HummingbirdTesting

/// Seeds (once) a SQLite store with a 25,000-run experiment and times every UI page through the
/// real router, printing a Markdown table of server times.
@main
struct UIBench {
    static func main() async throws {
        let args = CommandLine.arguments
        func option(_ name: String, _ fallback: String) -> String {
            guard let i = args.firstIndex(of: name), i + 1 < args.count else { return fallback }
            return args[i + 1]
        }
        let dir = option("--dir", "bench-ui-work")
        let runs = Int(option("--runs", "25000")) ?? 25_000
        let iterations = Int(option("--iterations", "20")) ?? 20
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let dbPath = dir + "/cairn-\(runs).db"
        let fresh = !FileManager.default.fileExists(atPath: dbPath)
        let store = try await StoreFactory.open(uri: "sqlite:///" + dbPath, defaultArtifactRoot: "mlflow-artifacts:/")
        let artifacts = try LocalArtifactStore(root: dir + "/artifacts")
        if fresh {
            let started = Date()
            try await BenchSeed(store: store, runs: runs).seed()
            print("Seeded \(runs) runs in \(Int(Date().timeIntervalSince(started))) s")
        }
        let ids = try await BenchSeed.lookUp(store)
        let pages: [(String, String)] = [
            ("Experiments list", "/"),
            ("Experiment, default order", "/experiments/\(ids.experiment)"),
            (
                "Experiment, sorted by metric, 3 columns",
                "/experiments/\(ids.experiment)?order=metrics.m3+DESC&col=metrics.m3&col=params.p2&col=metrics.m7"
            ),
            (
                "Experiment, filter + sort",
                "/experiments/\(ids.experiment)?filter=metrics.m1+%3E+0.5+and+params.p2+%3D+%27v3%27&order=metrics.m1+ASC&col=metrics.m1"
            ),
            ("Experiment, page 400", "/experiments/\(ids.experiment)?p=400"),
            ("Experiment, flat, sorted by param", "/experiments/\(ids.experiment)?flat=1&order=params.p5+ASC"),
            ("Run page", "/runs/\(ids.runs[0])"),
            ("Run page, 100k-point metric", "/runs/\(ids.longRun)"),
            (
                "Compare 5 runs, 10 metrics",
                "/compare?" + ids.runs.prefix(5).map { "runs=\($0)" }.joined(separator: "&")
            ),
            (
                "Compare with a 100k-point series",
                "/compare?runs=\(ids.longRun)&runs=\(ids.runs[1])&runs=\(ids.runs[2])&scale=log"
            ),
            (
                "Experiment, remembered columns",
                "/experiments/\(ids.experiment)?cols=chosen&col=metrics.m1&col=params.p2"
            ),
            ("Run page, sweep parent with 200 children", "/runs/\(ids.parent)"),
            ("Metric page, 100k-point metric", "/runs/\(ids.longRun)/metric?key=m0"),
            (
                "Compare 20 sweep trials (latest values, parallel coordinates)",
                "/compare?" + ids.trials.map { "runs=\($0)" }.joined(separator: "&")
            ),
            ("Models list", "/models"),
            ("Model page", "/models/bench-model"),
            ("Model version page", "/models/bench-model/versions/1"),
        ]
        let app = Application(router: buildRouter(store: store, artifacts: artifacts))
        try await app.test(.router) { client in
            print("| Page | median ms | p95 ms | max ms | bytes |")
            print("|---|---:|---:|---:|---:|")
            for (name, path) in pages {
                var times: [Double] = []
                var bytes = 0
                for i in 0..<(iterations + 2) {
                    let start = ContinuousClock.now
                    let (status, size) = try await client.execute(uri: path, method: .get) { r in
                        (r.status.code, r.body.readableBytes)
                    }
                    let elapsed = ContinuousClock.now - start
                    guard status == 200 else { throw BenchError.status(path, Int(status)) }
                    bytes = size
                    if i >= 2 {
                        times.append(
                            Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                    }
                }
                times.sort()
                let p95 = times[min(times.count - 1, Int(Double(times.count) * 0.95))]
                print(
                    "| \(name) | \(String(format: "%.1f", times[times.count / 2])) | \(String(format: "%.1f", p95)) "
                        + "| \(String(format: "%.1f", times.last!)) | \(bytes) |")
            }
        }
    }
}

enum BenchError: Error {
    case status(String, Int)
}
