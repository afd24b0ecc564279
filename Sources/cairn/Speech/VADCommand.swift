import ArgumentParser
import CairnAudio
import CairnCore
import CairnSpeech
import CairnVAD
import Foundation

/// `cairn vad`: find the speech in a recording and cut it into clips.
struct VADCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vad",
        abstract: "Detect speech in a recording; write one WAV per clip and a JSON of frames and segments.",
        discussion: """
            Reads WAV (PCM 8/16/24/32-bit or float, any channel count, any rate) or headerless 16-bit PCM \
            with --raw-rate; '-' reads standard input. Audio is resampled to --rate, classified frame by \
            frame (periodicity and band levels against adaptive noise floors and their recent history, \
            weighed by a small built-in network), and the decisions are grouped into clips.

            The JSON holds sample_rate, frame_ms, frames (0/1 per frame, before segmentation), segments \
            (start/end seconds) and processing statistics.

            Examples:
              cairn vad meeting.wav --json meeting.vad.json
              cairn vad call.wav --out-dir clips --pad-ms 200
              arecord -f S16_LE -r 16000 | cairn vad - --raw-rate 16000 --json -
            """
    )

    @Argument(help: ArgumentHelp("Audio file, or '-' for standard input.", valueName: "input"))
    var input: String

    @OptionGroup var vad: VADOptions

    @Option(name: .customLong("out-dir"), help: "Write each clip as clip-NNNN.wav (16-bit, detector rate) here.")
    var outDir: String?

    @Option(help: ArgumentHelp("Write the JSON result here ('-' for standard output).", valueName: "path"))
    var json: String?

    @Flag(help: "Include the per-frame speech probabilities and features in the JSON.")
    var probabilities = false

    func validate() throws {
        if input != "-" && !FileManager.default.fileExists(atPath: input) {
            throw ValidationError("No such file: \(input)")
        }
    }

    func run() throws {
        let reader: AudioReader
        do { reader = try AudioReader(path: input, raw: vad.raw) } catch {
            throw ValidationError("\(error)")
        }
        let pipeline = try SpeechPipeline(
            inputRate: reader.format.sampleRate, configuration: vad.configuration,
            segmenter: vad.segmenter(defaultPadMs: 30), keepProbabilities: probabilities)
        if let outDir {
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        }
        var clips: [SpeechClip] = []
        func keep(_ closed: [SpeechClip]) throws {
            for clip in closed {
                if let outDir {
                    let name = String(format: "clip-%04d.wav", clip.index)
                    try WAVWriter.write(clip.samples, sampleRate: clip.sampleRate, to: "\(outDir)/\(name)")
                }
                clips.append(clip)
                // Each clip is reported as it closes, so a live input shows progress.
                if json != "-" {
                    let line = String(format: "[%8.2f – %8.2f] %6.2f s\n", clip.start, clip.end, clip.duration)
                    Console.out(line)
                }
            }
        }
        while let chunk = try reader.read(maxFrames: 16384) { try keep(pipeline.push(chunk)) }
        try keep(pipeline.finish())

        let rate = Double(pipeline.sampleRate)
        let frames = pipeline.decisions.count
        let usPerFrame = frames > 0 ? pipeline.detectorCPUSeconds * 1e6 / Double(frames) : 0
        // Keys in alphabetical order.
        var w = JSONWriter(capacity: 64 + 2 * frames)
        w.object { w in
            w.field("duration_s", Double(pipeline.samplesProcessed) / rate)
            if probabilities {
                func rounded(_ key: String, _ values: [Float], _ w: inout JSONWriter) {
                    w.key(key)
                    w.array { w in for v in values { w.value((Double(v) * 100).rounded() / 100) } }
                }
                w.key("features")
                w.object { w in
                    rounded("harmonicity", pipeline.features.map(\.harmonicity), &w)
                    rounded("high_band_snr_db", pipeline.features.map(\.highBandSNR), &w)
                    rounded("low_band_dbfs", pipeline.features.map(\.lowBandLevel), &w)
                    rounded("low_band_snr_db", pipeline.features.map(\.lowBandSNR), &w)
                }
            }
            w.field("frame_ms", Int64(vad.frameMs))
            w.key("frames")
            w.array { w in for d in pipeline.decisions { w.value(Int(d)) } }
            w.field("input", input)
            w.field("input_sample_rate", Int64(reader.format.sampleRate))
            if probabilities {
                w.key("probabilities")
                w.array { w in for p in pipeline.probabilities { w.value((Double(p) * 1000).rounded() / 1000) } }
            }
            w.key("processing")
            w.object { w in
                w.field("frames", Int64(frames))
                w.field("us_per_frame", usPerFrame)
                w.field("vad_cpu_seconds", pipeline.detectorCPUSeconds)
            }
            w.field("sample_rate", Int64(pipeline.sampleRate))
            w.key("segments")
            w.array { w in
                for clip in clips {
                    w.object { w in
                        w.field("end", clip.end)
                        w.field("start", clip.start)
                    }
                }
            }
        }
        let speech = clips.reduce(0.0) { $0 + $1.duration }
        let total = Double(pipeline.samplesProcessed) / rate
        if pipeline.samplesProcessed == 0 {
            Console.err("warning: \(input == "-" ? "the input" : input) holds no audio samples (a header only?)\n")
        }
        if let json {
            if json == "-" {
                Console.out(bytes: w.bytes)
                Console.out("\n")
            } else {
                try Data(w.bytes).write(to: URL(fileURLWithPath: json))
            }
        }
        if json != "-" {
            print(
                String(
                    format: "%d clips, %.1f s of speech in %.1f s (%.0f%%); %.2f µs per %d ms frame",
                    clips.count, speech, total, total > 0 ? 100 * speech / total : 0,
                    usPerFrame, vad.frameMs))
        }
    }
}
