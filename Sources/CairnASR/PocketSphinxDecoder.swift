import CPocketSphinx
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

    public init(hmm: String, language: Language, dictionary: String) {
        self.hmm = hmm
        self.language = language
        self.dictionary = dictionary
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
        return args
    }
}

/// Why the recogniser could not start or decode.
public enum RecognizerError: Error, Equatable, CustomStringConvertible {
    case missingModel(String)
    case initialisationFailed(String)
    case decodingFailed(String)

    public var description: String {
        switch self {
        case .missingModel(let what):
            "model not found: \(what) (Debian: apt-get install pocketsphinx-en-us, or pass --hmm/--lm/--dict)"
        case .initialisationFailed(let detail): "pocketsphinx could not load the model: \(detail)"
        case .decodingFailed(let detail): "decoding failed: \(detail)"
        }
    }
}

/// One pocketsphinx decoder. Not thread-safe: use it from one thread at a time (``DecoderPool`` does).
public final class PocketSphinxDecoder: @unchecked Sendable {
    private let decoder: OpaquePointer
    private let config: OpaquePointer
    private let argv: [UnsafeMutablePointer<CChar>?]

    /// Loads the model; this takes a few hundred milliseconds.
    public init(model: RecognizerModel) throws(RecognizerError) {
        try model.validate()
        // cmd_ln_init is variadic and cannot be called from Swift; cmd_ln_parse_r takes argv. The
        // strings must outlive the configuration, so they are kept until deinit.
        var argv = model.arguments.map { strdup($0) }
        let parsed = argv.withUnsafeMutableBufferPointer { buffer in
            cmd_ln_parse_r(nil, ps_args(), Int32(buffer.count), buffer.baseAddress, 1)
        }
        guard let parsed else {
            argv.forEach { free($0) }
            throw .initialisationFailed("invalid arguments \(model.arguments.joined(separator: " "))")
        }
        guard let decoder = ps_init(parsed) else {
            cmd_ln_free_r(parsed)
            argv.forEach { free($0) }
            throw .initialisationFailed("ps_init failed for \(model.hmm)")
        }
        self.config = parsed
        self.decoder = decoder
        self.argv = argv
        argv = []
    }

    deinit {
        ps_free(decoder)
        cmd_ln_free_r(config)
        argv.forEach { free($0) }
    }

    /// Decodes one utterance of 16 kHz 16-bit samples; returns the best hypothesis ("" if none).
    public func recognize(_ samples: [Int16]) throws(RecognizerError) -> String {
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
