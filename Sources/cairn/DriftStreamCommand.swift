import ArgumentParser
import CairnDrift
import Foundation

/// `cairn drift-stream`: concept-drift detection on a stream of numbers.
struct DriftStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift-stream",
        abstract: "Run a streaming drift detector over one number per line and print each detection.",
        discussion: """
            Reads stdin, or FILE if given. Each detection is printed as a JSON line: \
            {"index": 2079, "kind": "drift"} (0-based index of the value). Binary detectors (ddm, eddm, \
            hddm-a, hddm-w) expect 1 for an error and 0 for a correct prediction.

            Parameters (--param key=value) and their defaults (river 0.26.1's):
            \(DetectorCatalog.names.map { name in
                "  " + name.padding(toLength: 14, withPad: " ", startingAt: 0)
                    + DetectorCatalog.defaults(name).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }.joined(separator: "\n"))

            Example:
              seq 1 100 | cairn drift-stream --detector page-hinkley --param threshold=20
            """
    )

    @Option(help: "adwin, page-hinkley, kswin, ddm, eddm, hddm-a or hddm-w.")
    var detector: String

    @Option(
        name: .customLong("param"), help: ArgumentHelp("Detector parameter key=value; repeatable.", valueName: "k=v"))
    var params: [String] = []

    @Flag(help: "Also print warnings (detectors with a warning zone).")
    var warnings = false

    @Argument(help: ArgumentHelp("Input file (default: stdin).", valueName: "file"))
    var file: String?

    func validate() throws {
        _ = try makeDetector()
        if let file, !FileManager.default.fileExists(atPath: file) { throw ValidationError("No such file: \(file)") }
    }

    func parsedParams() throws -> [String: String] {
        var out: [String: String] = [:]
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--param \(p): expected key=value.")
            }
            out[parts[0]] = parts[1]
        }
        return out
    }

    /// The detector named by --detector with the --param values.
    func makeDetector() throws -> any DriftDetector {
        guard DetectorCatalog.names.contains(detector) else {
            throw ValidationError("--detector must be one of \(DetectorCatalog.names.joined(separator: ", ")).")
        }
        let parameters = try parsedParams()
        do {
            return try DetectorCatalog.make(detector, parameters: parameters)
        } catch {
            throw ValidationError("--param: \(error.description)")
        }
    }

    func run() throws {
        var d = try makeDetector()
        let binary = DetectorCatalog.binary.contains(detector)
        let handle: FileHandle
        if let file {
            guard let h = FileHandle(forReadingAtPath: file) else { throw CLIError("cannot read \(file)") }
            handle = h
        } else {
            handle = FileHandle.standardInput
        }
        var index = 0
        var lineNumber = 0
        var pending = Data()
        var out = ""
        func consume(_ line: Substring) throws {
            lineNumber += 1
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return }
            guard let x = Double(text), x.isFinite else {
                throw CLIError("line \(lineNumber): '\(text.prefix(40))' is not a number")
            }
            if binary && x != 0 && x != 1 {
                throw CLIError("line \(lineNumber): \(detector) expects 0 or 1, got \(text)")
            }
            if let detection = d.observe(x, index: index, includeWarnings: warnings) {
                out += "{\"index\": \(index), \"kind\": \"\(detection.kind.rawValue)\"}\n"
            }
            index += 1
            if out.utf8.count > 1 << 16 {
                Console.out(out)
                out = ""
            }
        }
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            pending.append(chunk)
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let complete = String(decoding: pending[pending.startIndex..<lastNewline], as: UTF8.self)
            pending = Data(pending[(lastNewline + 1)...])
            for line in complete.split(separator: "\n", omittingEmptySubsequences: false) {
                try consume(line.hasSuffix("\r") ? line.dropLast() : line)
            }
        }
        if !pending.isEmpty { try consume(Substring(String(decoding: pending, as: UTF8.self))) }
        Console.out(out)
    }
}
