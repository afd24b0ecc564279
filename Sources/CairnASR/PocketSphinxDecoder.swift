import CPocketSphinx
import CairnCore
import Foundation

/// Where the recogniser's models live: an acoustic model directory, a pronunciation dictionary, and
/// either a statistical language model or a JSGF grammar.
public struct RecognizerModel: Sendable, Equatable {
    /// The acoustic model of Debian's `pocketsphinx-en-us` package.
    public static let debianEnglish = RecognizerModel(
        hmm: "/usr/share/pocketsphinx/model/en-us/en-us",
        language: .languageModel("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"),
        dictionary: "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict")

    /// What constrains the word sequence.
    public enum Language: Sendable, Equatable {
        /// An ARPA or binary n-gram language model file.
        case languageModel(String)
        /// A JSGF grammar file.
        case grammar(String)
    }

    public var hmm: String
    public var language: Language
    public var dictionary: String
    /// Further decoder settings as name → value (`dither` → `yes`), passed to pocketsphinx as
    /// `-name value`; they override the defaults.
    public var options: [(name: String, value: String)]

    /// Settings applied unless overridden. `dither` is Cairn's own (pocketsphinx's uses one global
    /// random generator shared by every decoder): it adds -1, 0 or +1 LSB of noise from a generator
    /// seeded the same for every clip, so clips cut from digital silence (all-zero samples) do not
    /// decode to nothing and the same clip always gives the same transcript.
    public static let defaultOptions: [(name: String, value: String)] = [("dither", "yes")]

    /// Whether Cairn dithers the samples (the `dither` option: yes/no/true/false).
    public var dither: Bool {
        guard let value = options.last(where: { $0.name == "dither" })?.value.lowercased() else { return false }
        return ["yes", "true", "1", "on"].contains(value)
    }

    public init(
        hmm: String, language: Language, dictionary: String,
        options: [(name: String, value: String)] = RecognizerModel.defaultOptions
    ) {
        self.hmm = hmm
        self.language = language
        self.dictionary = dictionary
        self.options = options
    }

    public static func == (lhs: RecognizerModel, rhs: RecognizerModel) -> Bool {
        lhs.hmm == rhs.hmm && lhs.language == rhs.language && lhs.dictionary == rhs.dictionary
            && lhs.options.elementsEqual(rhs.options) { $0 == $1 }
    }

    /// Parses `NAME=VALUE` decoder options (a leading `-` on the name is allowed) on top of the
    /// defaults; a later setting of the same name wins.
    public static func options(parsing settings: [String]) throws(RecognizerError) -> [(name: String, value: String)] {
        var options = defaultOptions
        for setting in settings {
            guard let eq = setting.firstIndex(of: "=") else {
                throw .invalidOption("'\(setting)' is not NAME=VALUE (e.g. dither=no, beam=1e-60)")
            }
            var name = String(setting[..<eq])
            while name.hasPrefix("-") { name.removeFirst() }
            let value = String(setting[setting.index(after: eq)...])
            guard !name.isEmpty, !value.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw .invalidOption("'\(setting)' is not NAME=VALUE (e.g. dither=no, beam=1e-60)")
            }
            if name == "dither" && !["yes", "no", "true", "false", "1", "0", "on", "off"].contains(value.lowercased()) {
                throw .invalidOption("dither takes yes or no, not '\(value)'")
            }
            guard !["hmm", "dict", "lm", "jsgf", "logfn", "samprate", "seed"].contains(name) else {
                throw .invalidOption("'\(name)' is set by its own option or fixed; it cannot be a decoder option")
            }
            options.removeAll { $0.name == name }
            options.append((name, value))
        }
        return options
    }

    /// Checks that every model path exists, naming the first that does not.
    public func validate() throws(RecognizerError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: hmm, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingModel("acoustic model directory \(hmm)")
        }
        let languagePath: String
        switch language {
        case .languageModel(let path), .grammar(let path): languagePath = path
        }
        for path in [languagePath, dictionary] where !FileManager.default.fileExists(atPath: path) {
            throw .missingModel(path)
        }
    }

    /// The decoder's command-line style arguments.
    var arguments: [String] {
        var args = ["-hmm", hmm, "-dict", dictionary, "-logfn", "/dev/null", "-samprate", "16000"]
        switch language {
        case .languageModel(let path): args += ["-lm", path]
        case .grammar(let path): args += ["-jsgf", path]
        }
        for option in options where option.name != "dither" { args += ["-" + option.name, option.value] }
        return args
    }
}

/// Why the recogniser could not start or decode.
public enum RecognizerError: Error, Equatable, CustomStringConvertible {
    case missingModel(String)
    case initialisationFailed(String)
    case decodingFailed(String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .missingModel(let what):
            "model not found: \(what) (Debian: apt-get install pocketsphinx-en-us, or pass --hmm/--lm/--dict)"
        case .initialisationFailed(let detail): "pocketsphinx could not load the model: \(detail)"
        case .decodingFailed(let detail): "decoding failed: \(detail)"
        case .invalidOption(let detail): "invalid decoder option: \(detail)"
        }
    }
}

/// One pocketsphinx decoder. Not thread-safe: use it from one thread at a time (``DecoderPool`` does).
public final class PocketSphinxDecoder: @unchecked Sendable {
    private let decoder: OpaquePointer
    private let config: OpaquePointer
    private let argv: [UnsafeMutablePointer<CChar>?]
    private let dither: Bool

    /// Loads the model; this takes a few hundred milliseconds.
    public init(model: RecognizerModel) throws(RecognizerError) {
        try model.validate()
        dither = model.dither
        do {
            (decoder, config, argv) = try Self.load(model.arguments)
        } catch .invalidOption {
            let settings = model.options.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            throw .invalidOption("pocketsphinx rejected the settings (\(settings)); its reason is printed above")
        } catch {
            // pocketsphinx logs its reasons, not return codes: load once more with a log file and
            // quote its error lines (an unknown word in a grammar, a corrupt model file...).
            throw .initialisationFailed(Self.diagnose(model) ?? "ps_init failed")
        }
    }

    private static func load(_ arguments: [String]) throws(RecognizerError) -> (
        OpaquePointer, OpaquePointer, [UnsafeMutablePointer<CChar>?]
    ) {
        // cmd_ln_init is variadic and cannot be called from Swift; cmd_ln_parse_r takes argv. The
        // strings must outlive the configuration, so they are kept until deinit.
        var argv = arguments.map { strdup($0) }
        let parsed = argv.withUnsafeMutableBufferPointer { buffer in
            cmd_ln_parse_r(nil, ps_args(), Int32(buffer.count), buffer.baseAddress, 1)
        }
        guard let parsed else {
            argv.forEach { free($0) }
            throw .invalidOption(arguments.joined(separator: " "))
        }
        guard let decoder = ps_init(parsed) else {
            cmd_ln_free_r(parsed)
            argv.forEach { free($0) }
            throw .initialisationFailed("ps_init failed")
        }
        return (decoder, parsed, argv)
    }

    private static func diagnose(_ model: RecognizerModel) -> String? {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-asr-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var arguments = model.arguments
        if let i = arguments.firstIndex(of: "-logfn") { arguments[i + 1] = log.path }
        if let loaded = try? load(arguments) {
            // It loaded this time: release it and report nothing more specific.
            ps_free(loaded.0)
            cmd_ln_free_r(loaded.1)
            loaded.2.forEach { free($0) }
            return nil
        }
        // The log is a buffered stream that stays open; flush it so the error lines are on disk.
        if let stream = err_get_logfp() { fflush(stream) }
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return nil }
        let errors = text.split(separator: "\n").filter { $0.contains("ERROR") || $0.contains("FATAL") }
        guard !errors.isEmpty else { return nil }
        return errors.suffix(3).map { line in
            // "ERROR: \"file.c\", line 12: message" → "message"
            line.split(separator: ":", maxSplits: 3).last.map { $0.trimmingCharacters(in: .whitespaces) }
                ?? String(line)
        }.joined(separator: "; ")
    }

    /// `samples` with -1, 0 or +1 added to each, from a generator seeded the same for every clip.
    static func dithered(_ samples: [Int16]) -> [Int16] {
        var generator = SeededGenerator(seed: 1)
        return samples.map { sample in
            let noise = Int32(generator.next() % 3) - 1
            return Int16(clamping: Int32(sample) + noise)
        }
    }

    deinit {
        ps_free(decoder)
        cmd_ln_free_r(config)
        argv.forEach { free($0) }
    }

    /// Decodes one utterance of 16 kHz 16-bit samples; returns the best hypothesis ("" if none).
    public func recognize(_ samples: [Int16]) throws(RecognizerError) -> String {
        let samples = dither ? Self.dithered(samples) : samples
        guard ps_start_utt(decoder) >= 0 else { throw .decodingFailed("ps_start_utt") }
        let processed = samples.withUnsafeBufferPointer { buffer in
            ps_process_raw(decoder, buffer.baseAddress, buffer.count, 0, 1)
        }
        guard processed >= 0 else {
            _ = ps_end_utt(decoder)
            throw .decodingFailed("ps_process_raw")
        }
        guard ps_end_utt(decoder) >= 0 else { throw .decodingFailed("ps_end_utt") }
        var score: Int32 = 0
        guard let hypothesis = ps_get_hyp(decoder, &score) else { return "" }
        return String(cString: hypothesis).trimmingCharacters(in: .whitespaces)
    }
}
