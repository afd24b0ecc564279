import CairnDrift
import CairnMonitor
import Foundation

// In-process timings of the drift statistics on raw little-endian float64 files written by run_bench.py.
//
//   drift-bench ks A.f64 B.f64           two-sample KS (sort + statistic + p-value), best of 5
//   drift-bench psi A.f64 B.f64          profile A once, then PSI of B against the stored profile, best of 5
//   drift-bench read FILE.csv            one CSV read (parse and type every column), best of 5
//   drift-bench report REF.csv CUR.csv OUT.json
//                                        what `cairn drift REF CUR --json OUT -q` runs (read, type, test all
//                                        columns, write the JSON report), once, timed from process start
//
// Prints one JSON object per call.

func load(_ path: String) -> [Double] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    return data.withUnsafeBytes { raw in Array(raw.bindMemory(to: Double.self)) }
}

/// CPU seconds of the calling thread (not inflated by other load on the machine).
func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Wall seconds of `body`; its thread CPU seconds go to `lastCPU`.
nonisolated(unsafe) var lastCPU = 0.0
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpu = threadCPU()
    try body()
    lastCPU = threadCPU() - cpu
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let args = CommandLine.arguments
if args.count == 5 && args[1] == "report" {
    let start = DispatchTime.now().uptimeNanoseconds
    do {
        let (reference, current) = try TableReader.readPair(args[2], args[3])
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let report = try DriftRunner.run(
            reference: reference, current: current, options: DriftOptions(), includeHistograms: false)
        try ReportJSON.data(report).write(to: URL(fileURLWithPath: args[4]))
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("{\"op\":\"report\",\"seconds\":\(total),\"read_seconds\":\(readSeconds)}")
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
if args.count == 3 && args[1] == "read" {
    // One CSV read on this thread, best of 5: wall and thread CPU seconds.
    var best = Double.infinity
    var bestCPU = Double.infinity
    for _ in 0..<5 {
        best = min(best, try seconds { _ = try CSVReader.read(path: args[2]) })
        bestCPU = min(bestCPU, lastCPU)
    }
    print("{\"op\":\"read\",\"seconds\":\(best),\"cpu_seconds\":\(bestCPU)}")
    exit(0)
}
guard args.count == 4 else {
    FileHandle.standardError.write(Data("usage: drift-bench ks|psi A.f64 B.f64\n".utf8))
    exit(2)
}
let a = load(args[2])
let b = load(args[3])
switch args[1] {
case "ks":
    var best = Double.infinity
    var bestCPU = Double.infinity
    var result = TestResult(statistic: 0)
    for _ in 0..<5 {
        best = min(best, try seconds { result = try KolmogorovSmirnov.test(a, b) })
        bestCPU = min(bestCPU, lastCPU)
    }
    print(
        "{\"op\":\"ks\",\"seconds\":\(best),\"cpu_seconds\":\(bestCPU),\"statistic\":\(result.statistic),"
            + "\"pvalue\":\(result.pValue!)}")
case "psi":
    var profile = ColumnProfile(type: .numeric)
    let profileSeconds = seconds { profile = ColumnProfile(numeric: a) }
    let profileCPU = lastCPU
    var best = Double.infinity
    var bestCPU = Double.infinity
    var psi = 0.0
    for _ in 0..<5 {
        best = min(
            best,
            try seconds { psi = try ProfileDrift.numeric(name: "x", reference: profile, current: b, test: .psi).score })
        bestCPU = min(bestCPU, lastCPU)
    }
    print(
        "{\"op\":\"psi\",\"seconds\":\(best),\"cpu_seconds\":\(bestCPU),\"profile_seconds\":\(profileSeconds),"
            + "\"profile_cpu_seconds\":\(profileCPU),\"psi\":\(psi)}")
default:
    FileHandle.standardError.write(Data("unknown operation \(args[1])\n".utf8))
    exit(2)
}
