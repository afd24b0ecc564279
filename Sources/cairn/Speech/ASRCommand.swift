import ArgumentParser
import Foundation

/// `cairn asr`: runs the recognition service binary, `cairn-asr`, which is built separately because
/// it links the pocketsphinx C library.
struct ASRCommand: ParsableCommand, PassesArgumentsThrough {
    static let configuration = CommandConfiguration(
        commandName: "asr",
        abstract: "Speech-recognition service (pocketsphinx); 'cairn asr serve --help' for its options.",
        discussion: """
            Runs the 'cairn-asr' binary found next to 'cairn' or on PATH. It needs the pocketsphinx \
            library and an acoustic model:
              apt-get install -y libpocketsphinx-dev pocketsphinx-en-us
              swift build -c release --product cairn-asr

            Examples:
              cairn asr serve --port 8000
              cairn asr serve --jsgf commands.jsgf
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "Arguments for cairn-asr, e.g. 'serve --port 8000'.")
    var arguments: [String] = []

    func run() throws {
        guard let binary = Self.locate() else {
            throw ValidationError(
                "cairn-asr was not found next to cairn or on PATH. Build it with "
                    + "'swift build -c release --product cairn-asr' (needs apt-get install libpocketsphinx-dev "
                    + "pocketsphinx-en-us).")
        }
        let argv = [binary] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(binary, &cArguments)
        throw ValidationError("cannot run \(binary): \(String(cString: strerror(errno)))")
    }

    /// The `cairn-asr` executable beside this one, else the first on PATH.
    static func locate() -> String? {
        let fm = FileManager.default
        if let me = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let sibling = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("cairn-asr").path
            if fm.isExecutableFile(atPath: sibling) { return sibling }
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/cairn-asr"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
