import CairnInference
import Foundation

// In-process timings of the native model runtimes, used by bench/runtimes/run.sh.
//
//   runtime-bench MODEL_DIR ROWS.f64 [--single N] [--batch-repeats N]
//
// MODEL_DIR is an MLflow model folder (MLmodel + model file); ROWS.f64 holds raw little-endian float64
// rows with as many values per row as the model has inputs. Times single-row predictions (a one-row
// table built and predicted per call, as a server does per request) and one prediction over all rows
// (best of the repeats). Prints one JSON object.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

/// The flavor settings of an MLmodel file: the first native flavor and its `key: value` lines.
func flavorSettings(_ text: String) -> (String, [String: String])? {
    var flavor: String?
    var settings: [String: String] = [:]
    var inFlavors = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let indent = line.prefix { $0 == " " }.count
        let body = line.trimmingCharacters(in: .whitespaces)
        if indent == 0 { inFlavors = body == "flavors:" }
        guard inFlavors, !body.isEmpty else { continue }
        if indent == 2, body.hasSuffix(":") {
            if flavor != nil { break }
            let name = String(body.dropLast())
            if NativeFlavor.supported.contains(name) { flavor = name }
        } else if indent == 4, flavor != nil, let colon = body.firstIndex(of: ":") {
            let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            settings[String(body[..<colon])] = value
        }
    }
    return flavor.map { ($0, settings) }
}

let args = CommandLine.arguments
guard args.count >= 3 else { fail("usage: runtime-bench MODEL_DIR ROWS.f64 [--single N] [--batch-repeats N]") }
let folder = args[1]
var singleCalls = 20_000
var batchRepeats = 5
if let i = args.firstIndex(of: "--single"), i + 1 < args.count { singleCalls = Int(args[i + 1]) ?? singleCalls }
if let i = args.firstIndex(of: "--batch-repeats"), i + 1 < args.count {
    batchRepeats = Int(args[i + 1]) ?? batchRepeats
}
singleCalls = max(1, singleCalls)
batchRepeats = max(1, batchRepeats)

guard let mlmodel = try? String(contentsOfFile: folder + "/MLmodel", encoding: .utf8),
    let (flavor, settings) = flavorSettings(mlmodel)
else { fail("no native flavor in \(folder)/MLmodel") }

let loadStart = DispatchTime.now().uptimeNanoseconds
let model: any NativeModel
do {
    model = try NativeFlavor.load(flavor: flavor, settings: settings) { path in
        guard let data = FileManager.default.contents(atPath: folder + "/" + path) else {
            throw InferenceError.unsupported("missing \(path)")
        }
        return [UInt8](data)
    }
} catch {
    fail("cannot load: \(error)")
}
let loadMs = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6

guard let data = FileManager.default.contents(atPath: args[2]) else { fail("cannot read \(args[2])") }
let values: [Double] = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
let width = model.inputCount
let rowCount = values.count / width
let names = model.inputNames ?? (0..<width).map { "f\($0)" }

func table(rows: Range<Int>) -> Table {
    let columns = (0..<width).map { j in
        (names[j], Table.Column.double(rows.map { values[$0 * width + j] }))
    }
    return try! Table(columns: columns)  // columns built here all have the same length
}

// Single rows: build the one-row table and predict, per call (what a request does after parsing).
var single: [Double] = []
single.reserveCapacity(singleCalls)
for i in 0..<singleCalls {
    let r = i % rowCount
    let start = DispatchTime.now().uptimeNanoseconds
    let out = try model.predict(table(rows: r..<r + 1))
    single.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
    if case .records = out { fail("unexpected output") }
}
single.sort()

// The whole batch: table construction included, best of the repeats.
let full = table(rows: 0..<rowCount)
var batch: [Double] = []
for _ in 0..<batchRepeats {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = try model.predict(full)
    batch.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

let details = model.details.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",")
print(
    "{\"flavor\":\"\(flavor)\",\"load_ms\":\(loadMs),\"rows\":\(rowCount),\"single_calls\":\(singleCalls),"
        + "\"single_p50_us\":\(single[single.count / 2]),\"single_p99_us\":\(single[single.count * 99 / 100]),"
        + "\"single_mean_us\":\(single.reduce(0, +) / Double(single.count)),"
        + "\"batch_best_s\":\(batch.min() ?? 0),\"batch_median_s\":\(batch.sorted()[batch.count / 2]),"
        + "\"details\":{\(details)}}")
