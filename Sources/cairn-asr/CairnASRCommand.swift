import ArgumentParser
import CairnASR
import CairnServiceKit
import Foundation
import Hummingbird
import Logging

/// `cairn-asr`: the speech-recognition service (also run as `cairn asr`).
@main
struct CairnASRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn asr",
        abstract: "Speech recognition as a service: pocketsphinx behind an HTTP API with Prometheus metrics.",
        subcommands: [Serve.self]
    )
}

extension CairnASRCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve POST /v1/recognize, /health and /metrics.",
            discussion: """
                POST /v1/recognize takes a WAV file (any format, rate and channel count) or raw 16-bit mono \
                PCM (application/octet-stream or audio/pcm, 16 kHz unless '; rate=N' is given) and answers \
                {"text", "duration_s", "processing_s"}. Bodies that are not audio get 400/415, oversize \
                bodies 413. Decoders are not thread-safe, so the service keeps a pool of them (one per core \
                by default) on their own threads. With --auth-token-file, POST /v1/recognize needs \
                'Authorization: Bearer TOKEN' (/health and /metrics stay open).

                The defaults use Debian's pocketsphinx-en-us model. A closed-domain JSGF grammar or language \
                model raises accuracy a lot on a known vocabulary.

                Examples:
                  cairn asr serve --port 8000
                  cairn asr serve --jsgf commands.jsgf --decoders 2
                  cairn asr serve --auth-token-file ./tokens
                  curl -s --data-binary @clip.wav -H 'Content-Type: audio/wav' localhost:8000/v1/recognize
                """
        )

        enum Defaults: ServiceDefaults, BodyLimitDefaults {
            static let port = 8000
            static let maxBodyMB = 16
        }

        @OptionGroup var service: ServiceOptions<Defaults>

        @OptionGroup var body: BodyLimitOption<Defaults>

        @OptionGroup var auth: AuthTokenOption

        @Option(help: ArgumentHelp("Acoustic model directory.", valueName: "dir"))
        var hmm = RecognizerModel.debianEnglish.hmm

        @Option(help: ArgumentHelp("N-gram language model (ARPA or binary).", valueName: "file"))
        var lm: String?

        @Option(help: ArgumentHelp("JSGF grammar (instead of a language model).", valueName: "file"))
        var jsgf: String?

        @Option(help: ArgumentHelp("Pronunciation dictionary.", valueName: "file"))
        var dict = RecognizerModel.debianEnglish.dictionary

        @Option(
            name: .customLong("decoder-option"),
            help: ArgumentHelp(
                "A pocketsphinx setting NAME=VALUE, repeatable (e.g. dither=no, beam=1e-60). dither=yes|no is Cairn's repeatable dither (default yes).",
                valueName: "name=value"))
        var decoderOptions: [String] = []

        @Option(help: "Decoders in the pool (default: one per core).")
        var decoders: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard lm == nil || jsgf == nil else { throw ValidationError("Give --lm or --jsgf, not both.") }
            guard (1...256).contains(decoders) else { throw ValidationError("--decoders must be between 1 and 256.") }
            do {
                _ = try RecognizerModel.options(parsing: decoderOptions)
                try model.validate()
            } catch { throw ValidationError("\(error)") }
        }

        var model: RecognizerModel {
            let language: RecognizerModel.Language =
                if let jsgf { .grammar(jsgf) } else {
                    .languageModel(lm ?? "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin")
                }
            let options = (try? RecognizerModel.options(parsing: decoderOptions)) ?? RecognizerModel.defaultOptions
            return RecognizerModel(hmm: hmm, language: language, dictionary: dict, options: options)
        }

        func run() async throws {
            let logger = service.logger(label: "cairn-asr")
            let tokens = try auth.tokens(logger: logger)
            let model = model
            try service.configuration(body).checkPortIsFree()
            let started = ContinuousClock.now
            let pool: DecoderPool
            do { pool = try DecoderPool(model: model, size: decoders) } catch { throw ValidationError("\(error)") }
            let loaded = ContinuousClock.now - started
            let language: String =
                switch model.language {
                case .grammar(let path): "hmm=\(model.hmm) jsgf=\(path) dict=\(model.dictionary)"
                case .languageModel(let path): "hmm=\(model.hmm) lm=\(path) dict=\(model.dictionary)"
                }
            let description = language + model.options.map { " \($0.name)=\($0.value)" }.joined()
            let configuration = service.configuration(body)
            let host = configuration.host
            let decoders = decoders
            let app = buildRecognitionApplication(
                pool: pool, metrics: RecognitionMetrics(decoders: decoders), configuration: configuration,
                modelDescription: description, tokens: tokens, logger: logger,
                onServerRunning: { [logger] port in
                    logger.info("Cairn recognition service listening on http://\(host):\(port)")
                    logger.info("\(decoders) decoders loaded in \(loaded): \(description)")
                })
            do {
                try await runService(app, host: configuration.host, port: configuration.port)
            } catch let error as ServiceStartError {
                try? await pool.shutdown()
                throw error
            }
            try await pool.shutdown()
        }
    }
}
