import CairnAudio
import CairnSpeech
import CairnVAD
import Foundation
import Testing

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("cairn-audio-\(UUID().uuidString)-\(name)").path
}

/// A WAV file with an arbitrary header, written byte by byte (stereo, extra chunk before `data`).
private func stereoWAV(left: [Int16], right: [Int16], rate: Int) -> [UInt8] {
    var out: [UInt8] = []
    func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out += $0 } }
    func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { out += $0 } }
    let data = left.count * 4
    out += Array("RIFF".utf8)
    u32(4 + 24 + 12 + 8 + data)
    out += Array("WAVEfmt ".utf8)
    u32(16)
    u16(1)
    u16(2)
    u32(rate)
    u32(rate * 4)
    u16(4)
    u16(16)
    out += Array("LIST".utf8)
    u32(4)
    out += Array("INFO".utf8)
    out += Array("data".utf8)
    u32(data)
    for (l, r) in zip(left, right) {
        withUnsafeBytes(of: l.littleEndian) { out += $0 }
        withUnsafeBytes(of: r.littleEndian) { out += $0 }
    }
    return out
}

@Suite struct AudioTests {
    @Test func sixteenBitRoundTripIsExact() throws {
        let samples: [Float] = [-1, -0.5, 0, 0.25, 32767 / 32768, 1 / 32768]
        let path = temporaryPath("rt.wav")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try WAVWriter.write(samples, sampleRate: 16000, to: path)
        let reader = try AudioReader(path: path)
        #expect(reader.format == WAVFormat(encoding: .pcm(bits: 16), sampleRate: 16000, channels: 1))
        #expect(try reader.readAll() == samples)
    }

    @Test func floatWAVRoundTrips() throws {
        let samples: [Float] = [0.1, -0.7, 0.333]
        let reader = try AudioReader(bytes: WAVWriter.encode(samples, sampleRate: 48000, float: true))
        #expect(reader.format.encoding == .float(bits: 32))
        #expect(try reader.readAll() == samples)
    }

    @Test func stereoIsMixedDownAndUnknownChunksAreSkipped() throws {
        let reader = try AudioReader(bytes: stereoWAV(left: [16384, 0, -32768], right: [0, 8192, -32768], rate: 8000))
        #expect(reader.format.channels == 2)
        #expect(try reader.readAll() == [0.25, 0.125, -1])
    }

    @Test func badInputGetsClearErrors() throws {
        #expect(
            throws: AudioError.notWAV(
                "the input has no RIFF header. Readable formats: WAV (PCM 8/16/24/32-bit or float 32/64-bit), "
                    + "or headerless PCM with --raw-rate; convert others first, e.g. sox in.mp3 out.wav")
        ) {
            try AudioReader(bytes: Array("hello world".utf8))
        }
        do {
            _ = try AudioReader(bytes: Array("fLaC\0\0\0\"rest of a flac".utf8))
            Issue.record("a FLAC file was read as audio")
        } catch {
            #expect(error.description.contains("is FLAC audio"))
            #expect(error.description.contains("sox in.flac -r 16000 -c 1 out.wav"))
            #expect(!error.description.contains("--raw-rate"))
        }
        // With --raw-rate, FLAC is still refused, but PCM that happens to start like an MP3 frame is read.
        #expect(throws: AudioError.self) {
            try AudioReader(bytes: Array("fLaC\0\0\0\"rest of a flac".utf8), raw: RawPCMFormat(sampleRate: 16000))
        }
        let pcm = try AudioReader(bytes: [0xFF, 0xFB, 0x00, 0x00], raw: RawPCMFormat(sampleRate: 16000))
        #expect(try pcm.readAll().count == 2)
        var truncated = WAVWriter.encode([0.5], sampleRate: 16000)
        truncated[20] = 7  // format tag 7 (mu-law)
        #expect(throws: AudioError.self) { try AudioReader(bytes: truncated) }
        #expect(throws: AudioError.self) { try AudioReader(path: "/nonexistent/file.wav") }
        let raw = try AudioReader(bytes: [0, 64, 0, 192], raw: RawPCMFormat(sampleRate: 16000))
        #expect(try raw.readAll() == [0.5, -0.5])
    }

    @Test(arguments: [8000, 32000, 44100, 48000])
    func resamplingKeepsAToneAndRemovesAliases(inputRate: Int) throws {
        // A 1 kHz tone must come out at 16 kHz with its amplitude; the error against the ideal
        // tone measures distortion and aliasing together.
        let seconds = 0.5
        let tone = (0..<Int(Double(inputRate) * seconds)).map {
            Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / Double(inputRate)))
        }
        let out = try Resampler.resample(tone, from: inputRate, to: 16000)
        #expect(out.count == 8000)
        var error = 0.0
        var power = 0.0
        for n in 1000..<7000 {
            let ideal = 0.5 * sin(2 * Double.pi * 1000 * Double(n) / 16000)
            error += pow(Double(out[n]) - ideal, 2)
            power += ideal * ideal
        }
        let snr = 10 * log10(power / error)
        #expect(snr > 60, "SNR \(snr) dB")
    }

    @Test(arguments: [(48000, 9000.0), (32000, 8500.0), (44100, 10000.0)])
    func tonesAboveTheNewNyquistAreRemoved(inputRate: Int, frequency: Double) throws {
        // Above 8 kHz a tone cannot be represented at 16 kHz: whatever comes out is aliasing.
        let tone = (0..<inputRate).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / Double(inputRate))) }
        let out = try Resampler.resample(tone, from: inputRate, to: 16000)
        let residual = out[2000..<14000].reduce(0.0) { $0 + Double($1) * Double($1) } / 12000
        let level = 10 * log10(residual / 0.125)  // relative to the input tone's power
        #expect(level < -70, "alias at \(level) dB")
    }

    @Test func chunkedResamplingMatchesOneShot() throws {
        let input = (0..<48000).map { Float(sin(Double($0) * 0.01)) * 0.3 }
        var streaming = try Resampler(from: 48000, to: 16000)
        var chunked: [Float] = []
        var i = 0
        for size in [1, 7, 1000, 333, 4096].cycled(upTo: input.count) {
            let end = min(i + size, input.count)
            chunked += streaming.process(Array(input[i..<end]))
            i = end
            if i == input.count { break }
        }
        chunked += streaming.flush()
        #expect(chunked == (try Resampler.resample(input, from: 48000, to: 16000)))
    }

    @Test func pipelineEmitsClipsWithTheirAudio() throws {
        // Silence, one second of a voiced tone, silence, at 48 kHz; clips come out at 16 kHz.
        let rate = 48000
        let tone = (0..<rate).map { n -> Float in
            var x = 0.0
            for k in 1...12 { x += sin(2 * Double.pi * 130 * Double(k) * Double(n) / Double(rate)) / Double(k) }
            return Float(x * 0.1 * syllables(Double(n) / Double(rate)))
        }
        let signal = [Float](repeating: 0, count: rate) + tone + [Float](repeating: 0, count: rate)
        let pipeline = try SpeechPipeline(
            inputRate: rate, configuration: VADConfiguration(), segmenter: SegmenterOptions(padMs: 100))
        var clips: [SpeechClip] = []
        for start in stride(from: 0, to: signal.count, by: 4800) {
            clips += pipeline.push(Array(signal[start..<min(start + 4800, signal.count)]))
        }
        clips += pipeline.finish()
        #expect(clips.count == 1)
        let clip = try #require(clips.first)
        #expect(abs(clip.start - 0.9) < 0.06)
        #expect(abs(clip.end - 2.1) < 0.3)
        #expect(clip.samples.count == clip.segment.count)
        #expect(pipeline.decisions.count == 300)
    }
}

extension Array {
    /// Repeats the elements until their sum reaches `total` (for chunk-size patterns).
    fileprivate func cycled(upTo total: Int) -> [Element] where Element == Int {
        var out: [Int] = []
        var sum = 0
        while sum < total {
            for x in self {
                out.append(x)
                sum += x
            }
        }
        return out
    }
}
