import CairnVAD
import Foundation
import Testing

/// A deterministic white-noise source (xorshift), uniform in −amplitude…amplitude.
private struct Noise {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next(_ amplitude: Float) -> Float {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * amplitude
    }
}

/// A vowel-like signal: 120 Hz fundamental with 15 harmonics falling 6 dB per octave.
private func voiced(_ count: Int, rate: Double = 16000, amplitude: Float = 0.1, offset: Int = 0) -> [Float] {
    (0..<count).map { n in
        let t = Double(n + offset) / rate
        var x = 0.0
        for k in 1...15 { x += sin(2 * Double.pi * 120 * Double(k) * t) / Double(k) }
        // A syllable-rate envelope (4 Hz, 0.5…1): speech rises and falls; a steady tone is a hum.
        return Float(x * syllables(t)) * amplitude
    }
}

/// Speech's level rises and falls with its syllables, about four a second.
func syllables(_ t: Double) -> Double { 0.75 + 0.25 * sin(2 * Double.pi * 4 * t) }

/// Mains hum: 60 Hz and its first two harmonics at a constant level.
private func hum(_ count: Int, amplitude: Double = 0.05) -> [Float] {
    (0..<count).map { n in
        let t = Double(n) / 16000
        return Float(amplitude * (sin(2 * .pi * 60 * t) + sin(2 * .pi * 120 * t) + sin(2 * .pi * 180 * t)))
    }
}

private func run(_ signal: [Float], _ vad: VoiceActivityDetector) -> [VADFrame] {
    let n = vad.samplesPerFrame
    return stride(from: 0, to: signal.count - n + 1, by: n).map { vad.process(Array(signal[$0..<($0 + n)])) }
}

/// The clips the default detector and segmenter (`cairn vad`'s defaults) cut from `signal`.
private func clips(_ signal: [Float]) throws -> [SpeechSegment] {
    let vad = try VoiceActivityDetector()
    var segmenter = SpeechSegmenter(
        options: SegmenterOptions(), frameSamples: vad.samplesPerFrame, trailingHoldFrames: vad.hangoverFrames)
    var found = run(signal, vad).compactMap { segmenter.push(isSpeech: $0.isSpeech) }
    if let last = segmenter.finish(totalSamples: signal.count) { found.append(last) }
    return found
}

@Suite struct VoiceActivityDetectorTests {
    @Test(arguments: [10, 20, 30])
    func voicedSoundInNoiseIsSpeechAndNoiseAloneIsNot(frameMs: Int) throws {
        let vad = try VoiceActivityDetector(VADConfiguration(sampleRate: 16000, frameMs: frameMs))
        var noise = Noise()
        let background = (0..<32000).map { _ in noise.next(0.02) }  // 2 s noise only
        let tone = voiced(16000)
        let mixed = zip(tone, (0..<16000).map { _ in noise.next(0.02) }).map { $0 + $1 }
        let frames = run(background + mixed + (0..<16000).map { _ in noise.next(0.02) }, vad)
        let perSecond = 1000 / frameMs
        let noiseShare = frames[0..<(2 * perSecond)].filter(\.isSpeech).count
        let speechShare = frames[(2 * perSecond + perSecond / 5)..<(3 * perSecond)].filter(\.isSpeech).count
        #expect(noiseShare == 0)
        #expect(Double(speechShare) >= 0.95 * Double(perSecond * 4 / 5))
        #expect(frames[(2 * perSecond + perSecond / 2)].probability > 0.9)
    }

    @Test func humIsLearntAsBackgroundWithinASecond() throws {
        // From the start, and after six seconds of digital silence (the floor is then far below it).
        for quiet in [0, 96000] {
            let vad = try VoiceActivityDetector()
            let frames = run([Float](repeating: 0, count: quiet) + hum(320_000), vad)
            let humFrames = frames[(quiet / 160)...]
            let held = humFrames.filter(\.isSpeech).count
            #expect(held <= 100, "hum held as speech for \(held) frames after \(quiet / 16000) s of silence")
            #expect(humFrames.suffix(1800).allSatisfy { !$0.isSpeech })
        }
    }

    @Test func heldChordsDoNotBecomeClips() throws {
        // Three-note chords of 0.5 and 1 s with rests between them (music): periodic and well above
        // the background, but their level holds steady, so each one is learnt as background before a
        // clip's minimum length (250 ms) of it has been called speech; the clicks where a chord is cut
        // off do not start speech (speech starts on voiced sound).
        var signal = [Float](repeating: 0, count: 16000)
        let chords: [[Double]] = [[220, 277.2, 329.6], [261.6, 329.6, 392], [196, 246.9, 293.7], [293.7, 370, 440]]
        for (k, chord) in chords.enumerated() {
            signal += (0..<(k % 2 == 0 ? 8000 : 16000)).map { n in
                let t = Double(n) / 16000
                return Float(0.05 * chord.reduce(0) { $0 + sin(2 * .pi * $1 * t + Double(k)) })
            }
            signal += [Float](repeating: 0, count: 4000)
        }
        let found = try clips(signal)
        #expect(found.isEmpty, "clips: \(found)")
    }

    @Test func shortBeepsDoNotBecomeClips() throws {
        // 880 and 1,000 Hz beeps of 0.10–0.25 s, half a second apart, over digital silence: too short
        // to be learnt as a steady sound, so only their lack of speech-like structure keeps them out.
        var signal = [Float](repeating: 0, count: 16000)
        for k in 0..<6 {
            let count = (1600 + 480 * k)
            let frequency: Double = k % 2 == 0 ? 880 : 1000
            signal += (0..<count).map { n in
                let fade = Float(min(1, Double(min(n, count - 1 - n)) / 160))
                return 0.1 * fade * Float(sin(2 * .pi * frequency * Double(n) / 16000))
            }
            signal += [Float](repeating: 0, count: 8000)
        }
        let found = try clips(signal)
        #expect(found.isEmpty, "clips: \(found)")
    }

    @Test func speechOverAHumIsStillFound() throws {
        let vad = try VoiceActivityDetector()
        let background = hum(64000, amplitude: 0.004)
        let speech = zip(voiced(16000), background[32000..<48000]).map { $0 + $1 }
        let frames = run(Array(background[0..<32000]) + speech + Array(background[48000...]), vad)
        #expect(frames[220..<300].filter(\.isSpeech).count >= 76)
        #expect(frames[350...].filter(\.isSpeech).count <= 10)
    }

    @Test func loudNoiseBurstOverSilenceIsNotSpeech() throws {
        let vad = try VoiceActivityDetector()
        var noise = Noise()
        let signal = [Float](repeating: 0, count: 16000) + (0..<24000).map { _ in noise.next(0.05) }
        let frames = run(signal, vad)
        #expect(frames.filter(\.isSpeech).count <= frames.count / 50)
    }

    @Test func eightKilohertzInputWorks() throws {
        let vad = try VoiceActivityDetector(VADConfiguration(sampleRate: 8000, frameMs: 20))
        #expect(vad.samplesPerFrame == 160)
        let frames = run([Float](repeating: 0, count: 8000) + voiced(8000, rate: 8000), vad)
        #expect(frames.suffix(40).filter(\.isSpeech).count >= 38)
        #expect(frames.prefix(50).allSatisfy { !$0.isSpeech })
    }

    @Test func resetForgetsState() throws {
        let vad = try VoiceActivityDetector()
        let signal = voiced(8000)
        let first = run(signal, vad)
        vad.reset()
        let second = run(signal, vad)
        #expect(first == second)
    }

    @Test func unsupportedConfigurationsAreRejected() {
        #expect(throws: VADConfigurationError.unsupportedSampleRate(44100)) {
            try VoiceActivityDetector(VADConfiguration(sampleRate: 44100))
        }
        #expect(throws: VADConfigurationError.unsupportedFrameLength(25)) {
            try VoiceActivityDetector(VADConfiguration(frameMs: 25))
        }
        var configuration = VADConfiguration()
        configuration.threshold = 1.5
        #expect(throws: VADConfigurationError.invalidThreshold(1.5)) { try VoiceActivityDetector(configuration) }
    }

    @Test func sensitivityPresetsAreOrdered() {
        let thresholds = VADSensitivity.allCases.map(\.threshold)
        #expect(thresholds == thresholds.sorted())
        let hangovers = VADSensitivity.allCases.map(\.hangoverMs)
        #expect(hangovers == hangovers.sorted(by: >))
    }

    @Test func modelWeightsAreChecked() throws {
        #expect(VADModel.inputNames.count == VADModel.inputCount)
        #expect(VADModel.inputs(VADFeatures()).count == VADModel.inputCount)
        #expect(VADModel.standard.inputWeights.count == VADModel.standard.hiddenCount * VADModel.inputCount)
        #expect(throws: VADModelError.shape(hidden: 2, inputWeights: 3, hiddenBiases: 2, outputWeights: 2)) {
            try VADModel(
                hiddenCount: 2, inputWeights: [1, 2, 3], hiddenBiases: [0, 0], outputWeights: [1, 1], outputBias: 0)
        }
        let weights = [Float](repeating: 0, count: 2 * VADModel.inputCount)
        #expect(throws: VADModelError.notFinite) {
            try VADModel(
                hiddenCount: 2, inputWeights: weights, hiddenBiases: [.nan, 0], outputWeights: [1, 1], outputBias: 0)
        }
        // Inputs outside the corpus's ranges (a NaN from a broken upstream, an infinite level) are
        // clamped, so the probability stays a probability.
        var features = VADFeatures(harmonicity: .nan, lowBandSNR: .infinity, highBandSNR: -.infinity)
        features.levelDeviation = .nan
        let p = VADModel.standard.probability(features)
        #expect(p >= 0 && p <= 1)
    }

    @Test func aCustomModelIsUsed() throws {
        // A network whose output ignores its inputs: always sure of speech, or always sure of silence.
        let zeros = [Float](repeating: 0, count: VADModel.inputCount)
        let always = try VADModel(
            hiddenCount: 1, inputWeights: zeros, hiddenBiases: [0], outputWeights: [0], outputBias: 20)
        let never = try VADModel(
            hiddenCount: 1, inputWeights: zeros, hiddenBiases: [0], outputWeights: [0], outputBias: -20)
        var noise = Noise()
        // Noise whose level moves like speech's (a steady level would be learnt as background).
        let signal = (0..<16000).map { n in noise.next(0.02) * Float(syllables(Double(n) / 16000)) }
        #expect(run(signal, try VoiceActivityDetector(model: always)).suffix(50).allSatisfy(\.isSpeech))
        #expect(run(voiced(16000), try VoiceActivityDetector(model: never)).allSatisfy { !$0.isSpeech })
    }
}
