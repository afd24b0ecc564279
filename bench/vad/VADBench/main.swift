// In-process cost of the voice activity detector (bench/vad/run.sh runs it next to WebRTC and Silero).
// Usage: vad-bench FILE.wav [--seconds 300] [--repeats 3]
// Reads a 16 kHz mono 16-bit WAV, tiles it to --seconds, and for 10/20/30 ms frames reports the best
// thread-CPU time per 10 ms of audio over --repeats runs, plus heap bytes allocated while processing
// (glibc mallinfo2 before/after; 0 means the steady state does not allocate). Prints one JSON object.
//
// vad-bench --decisions FILE.wav... runs the detector (10 ms frames, `cairn vad`'s defaults) and the
// segmenter over each file and prints one JSON line per file: {"file","frames":[0,1,…],"segments":
// [[start_s,end_s],…],"cpu_s"}; bench/vad/heldout.py uses it to score the development splits quickly.
//
// vad-bench --features OUT_DIR FILE.wav... runs the detector the same way and writes the network's
// inputs of every 10 ms frame to OUT_DIR/NAME.f32 (little-endian float32, VADModel.inputCount per
// frame); bench/vad/train_model.py trains on them.
//
// --model FILE (before the mode) runs the detector with the network in FILE instead of the built-in
// one: the line `hidden N`, then the input weights (N rows of VADModel.inputCount), the N hidden
// biases, the N output weights and the output bias, separated by white space.
import CHeapStats
import CairnAudio
import CairnVAD
import Foundation

func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func heapInUse() -> Int { Int(cairn_heap_in_use()) }

var arguments = Array(CommandLine.arguments.dropFirst())
var model = VADModel.standard
if arguments.first == "--model", arguments.count >= 2 {
    model = try readModel(arguments[1])
    arguments.removeFirst(2)
}
@MainActor func option(_ name: String, _ fallback: Double) -> Double {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Double(arguments[i + 1]) else {
        return fallback
    }
    return v
}
if arguments.first == "--decisions" {
    for path in arguments.dropFirst() { try printDecisions(path, model: model) }
    exit(0)
}
if arguments.first == "--features", arguments.count >= 2 {
    let directory = URL(fileURLWithPath: arguments[1])
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for path in arguments.dropFirst(2) { try writeFeatures(path, into: directory, model: model) }
    exit(0)
}
guard let path = arguments.first, !path.hasPrefix("--") else {
    FileHandle.standardError.write(Data("usage: vad-bench FILE.wav [--seconds 300] [--repeats 3]\n".utf8))
    exit(2)
}
let seconds = option("--seconds", 300)
let repeats = Int(option("--repeats", 3))
let source = try readSamples(path)
let wanted = Int(seconds * 16000)
var signal = [Float]()
signal.reserveCapacity(wanted)
while signal.count < wanted { signal += source.prefix(wanted - signal.count) }

var rows: [String] = []
for frameMs in [10, 20, 30] {
    let n = 16 * frameMs
    let frames = signal.count / n
    var best = Double.infinity
    var allocated = 0
    var speech = 0
    for _ in 0..<repeats {
        let vad = try VoiceActivityDetector(VADConfiguration(sampleRate: 16000, frameMs: frameMs), model: model)
        speech = 0
        let heapBefore = heapInUse()
        let started = threadCPU()
        signal.withUnsafeBufferPointer { all in
            for f in 0..<frames {
                let frame = UnsafeBufferPointer(rebasing: all[(f * n)..<((f + 1) * n)])
                if vad.process(frame).isSpeech { speech += 1 }
            }
        }
        best = min(best, threadCPU() - started)
        allocated = max(allocated, heapInUse() - heapBefore)
    }
    let per10ms = best * 1e6 / (Double(frames) * Double(frameMs) / 10)
    rows.append(
        String(
            format: "{\"frame_ms\":%d,\"frames\":%d,\"cpu_s\":%.4f,\"us_per_10ms\":%.3f,\"us_per_frame\":%.3f,"
                + "\"rtf\":%.2e,\"heap_bytes_allocated\":%d,\"speech_share\":%.3f}",
            frameMs, frames, best, per10ms, best * 1e6 / Double(frames), best / (Double(frames * n) / 16000),
            allocated, Double(speech) / Double(frames)))
}
print("{\"seconds\":\(seconds),\"results\":[\(rows.joined(separator: ","))]}")

func printDecisions(_ path: String, model: VADModel) throws {
    var samples = try readSamples(path)
    let vad = try VoiceActivityDetector(VADConfiguration(), model: model)
    let n = vad.samplesPerFrame
    let total = samples.count
    let frames = (total + n - 1) / n
    samples += [Float](repeating: 0, count: frames * n - samples.count)
    var segmenter = SpeechSegmenter(
        options: SegmenterOptions(), frameSamples: n, trailingHoldFrames: vad.hangoverFrames)
    var decisions = [Character]()
    var segments: [SpeechSegment] = []
    let started = threadCPU()
    samples.withUnsafeBufferPointer { all in
        for f in 0..<frames {
            let speech = vad.process(UnsafeBufferPointer(rebasing: all[(f * n)..<((f + 1) * n)])).isSpeech
            decisions.append(speech ? "1" : "0")
            if let segment = segmenter.push(isSpeech: speech) { segments.append(segment) }
        }
    }
    if let segment = segmenter.finish(totalSamples: total) { segments.append(segment) }
    let cpu = threadCPU() - started
    let spans = segments.map { "[\(Double($0.start) / 16000),\(Double($0.end) / 16000)]" }
    let name = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    print(
        "{\"file\":\"\(name)\",\"frames\":[\(decisions.map(String.init).joined(separator: ","))],"
            + "\"segments\":[\(spans.joined(separator: ","))],\"cpu_s\":\(cpu)}")
}

func readSamples(_ path: String) throws -> [Float] {
    let reader = try AudioReader(path: path)
    return try Resampler.resample(try reader.readAll(), from: reader.format.sampleRate, to: 16000)
}

func writeFeatures(_ path: String, into directory: URL, model: VADModel) throws {
    let samples = try readSamples(path)
    let vad = try VoiceActivityDetector(VADConfiguration(), model: model)
    let n = vad.samplesPerFrame
    var values: [Float] = []
    values.reserveCapacity((samples.count / n + 1) * VADModel.inputCount)
    var frame = [Float](repeating: 0, count: n)
    var start = 0
    while start < samples.count {
        let end = min(start + n, samples.count)
        for i in 0..<n { frame[i] = start + i < end ? samples[start + i] : 0 }
        values += VADModel.inputs(vad.process(frame).features)
        start += n
    }
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".f32"
    let data = values.withUnsafeBufferPointer { Data(buffer: $0) }
    try data.write(to: directory.appendingPathComponent(name))
}

func readModel(_ path: String) throws -> VADModel {
    let words = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isWhitespace)
    guard words.count >= 2, words[0] == "hidden", let hidden = Int(words[1]) else {
        throw ModelFileError(path: path, reason: "it does not start with `hidden N`")
    }
    let numbers = words.dropFirst(2).compactMap { Float($0) }
    let inputs = hidden * VADModel.inputCount
    guard numbers.count == words.count - 2, numbers.count == inputs + 2 * hidden + 1 else {
        throw ModelFileError(path: path, reason: "expected \(inputs + 2 * hidden + 1) numbers after `hidden \(hidden)`")
    }
    return try VADModel(
        hiddenCount: hidden, inputWeights: Array(numbers[0..<inputs]),
        hiddenBiases: Array(numbers[inputs..<(inputs + hidden)]),
        outputWeights: Array(numbers[(inputs + hidden)..<(inputs + 2 * hidden)]), outputBias: numbers.last!)
}

struct ModelFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): not a VAD model file: \(reason)" }
}
