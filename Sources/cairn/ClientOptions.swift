import ArgumentParser
import CairnClient
import CairnCore
import Foundation

/// Options shared by commands that talk to a running tracking server.
struct ClientOptions: ParsableArguments {
    @OptionGroup var tracking: TrackingURIOption

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    /// The effective tracking URI.
    var resolvedUri: String { tracking.resolved }

    func validate() throws {
        do {
            _ = try TrackingClient(uri: resolvedUri)
        } catch let e as MlflowError {
            throw ValidationError(e.message)
        }
    }

    /// A client for the server.
    func client() throws -> TrackingClient {
        try TrackingClient(uri: resolvedUri)
    }

    /// The web UI page of a run on this server.
    func runPage(_ runId: String) -> String { runPageURL(trackingUri: resolvedUri, runId: runId) }
}

/// The web UI page of a run on the server at `trackingUri`: `http://host:5000/runs/ID`.
func runPageURL(trackingUri: String, runId: String) -> String {
    var base = trackingUri
    while base.hasSuffix("/") { base.removeLast() }
    return base + "/runs/" + runId
}

/// Runs a command body, turning API errors into a one-line message and exit code 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let e as MlflowError {
        Console.err("error: \(e.message)\n")
        throw ExitCode.failure
    }
}

/// Prints JSON bytes with a trailing newline.
func printJSON(_ bytes: [UInt8]) {
    Console.out(bytes: bytes + [0x0A])
}

/// Renders rows as an aligned text table.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    /// The table as text, columns padded to their widest cell.
    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var out = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}

/// Formats a millisecond timestamp as UTC `yyyy-MM-dd HH:mm` (calendar arithmetic by gmtime_r, so no
/// formatter is built per call).
func formatTime(_ ms: Int64) -> String {
    var seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil else { return String(ms) }
    return String(
        format: "%04d-%02d-%02d %02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
        Int(parts.tm_hour), Int(parts.tm_min))
}
