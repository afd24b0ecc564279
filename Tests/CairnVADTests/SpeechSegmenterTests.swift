import CairnVAD
import Testing

/// Runs `pattern` ("1" speech, "0" not, one character per 10 ms frame of 160 samples).
private func segments(_ pattern: String, _ options: SegmenterOptions) -> [SpeechSegment] {
    var segmenter = SpeechSegmenter(options: options, frameSamples: 160, sampleRate: 16000)
    var out: [SpeechSegment] = []
    for c in pattern where c == "0" || c == "1" {
        if let s = segmenter.push(isSpeech: c == "1") { out.append(s) }
    }
    if let s = segmenter.finish(totalSamples: segmenter.framesSeen * 160) { out.append(s) }
    return out
}

private func frames(_ n: Int, _ c: Character) -> String { String(repeating: c, count: n) }

@Suite struct SpeechSegmenterTests {
    @Test func closesAfterMinimumSilenceWithPadding() {
        let options = SegmenterOptions(minSpeechMs: 100, minSilenceMs: 100, padMs: 30)
        let result = segments(frames(50, "0") + frames(30, "1") + frames(50, "0"), options)
        // Speech frames 50..<80; pad of 3 frames on both sides.
        #expect(result == [SpeechSegment(start: 47 * 160, end: 83 * 160)])
    }

    @Test func theDetectorsHangoverIsTakenOffTheClipEnd() {
        let options = SegmenterOptions(minSpeechMs: 100, minSilenceMs: 100, padMs: 30)
        var segmenter = SpeechSegmenter(options: options, frameSamples: 160, trailingHoldFrames: 20)
        var out: [SpeechSegment] = []
        // 30 confident frames then 20 hangover frames (still "speech"), then silence.
        for c in frames(50, "0") + frames(50, "1") + frames(50, "0") {
            if let s = segmenter.push(isSpeech: c == "1") { out.append(s) }
        }
        // The clip ends 3 frames of padding after the last confident frame (79), not after frame 99.
        #expect(out == [SpeechSegment(start: 47 * 160, end: 83 * 160)])
    }

    @Test func emitsEachClipWhenItClosesNotAtTheEnd() {
        let options = SegmenterOptions(minSpeechMs: 50, minSilenceMs: 100, padMs: 0)
        var segmenter = SpeechSegmenter(options: options, frameSamples: 160)
        var closedAt: [Int] = []
        let pattern = frames(10, "0") + frames(20, "1") + frames(30, "0") + frames(20, "1") + frames(40, "0")
        for (i, c) in pattern.enumerated() where segmenter.push(isSpeech: c == "1") != nil { closedAt.append(i) }
        // Each clip closes on the 10th non-speech frame after it.
        #expect(closedAt == [39, 89])
    }

    @Test func shortPausesStayInsideAndShortBlipsAreDropped() {
        let options = SegmenterOptions(minSpeechMs: 250, minSilenceMs: 300, padMs: 0)
        let speech = frames(20, "1") + frames(15, "0") + frames(20, "1")  // 150 ms pause is bridged
        let blip = frames(10, "1")  // 100 ms: shorter than min speech
        let result = segments(frames(40, "0") + speech + frames(60, "0") + blip + frames(60, "0"), options)
        #expect(result == [SpeechSegment(start: 40 * 160, end: 95 * 160)])
    }

    @Test func paddingNeverOverlapsThePreviousClip() {
        let options = SegmenterOptions(minSpeechMs: 50, minSilenceMs: 100, padMs: 100)
        let result = segments(
            frames(5, "0") + frames(20, "1") + frames(12, "0") + frames(20, "1") + frames(30, "0"), options)
        #expect(result.count == 2)
        #expect(result[0].start == 0)  // padding clamped at the stream start
        #expect(result[1].start >= result[0].end)
    }

    @Test func longSegmentIsCutAtItsLongestPause() {
        let options = SegmenterOptions(
            minSpeechMs: 50, minSilenceMs: 500, padMs: 0, maxSegmentMs: 1000, minPauseAtMaxMs: 50)
        // 0.4 s speech, 0.08 s pause, 0.3 s speech, 0.2 s pause (longest), 0.5 s speech.
        let pattern = frames(40, "1") + frames(8, "0") + frames(30, "1") + frames(20, "0") + frames(50, "1")
        let result = segments(pattern + frames(60, "0"), options)
        #expect(result.first == SpeechSegment(start: 0, end: 78 * 160, wasCut: true))
        #expect(result.dropFirst().first?.start == 98 * 160)
    }

    @Test func longSegmentWithoutPauseIsCutHard() {
        let options = SegmenterOptions(minSpeechMs: 50, minSilenceMs: 100, padMs: 0, maxSegmentMs: 500)
        let result = segments(frames(120, "1") + frames(20, "0"), options)
        #expect(result.map(\.count).allSatisfy { $0 <= 51 * 160 })
        #expect(result.reduce(0) { $0 + $1.count } == 120 * 160)
        #expect(result.first?.wasCut == true)
    }

    @Test func optionsAreValidated() {
        #expect(throws: SegmenterOptionsError.negative) { try SegmenterOptions(padMs: -1).validate() }
        #expect(throws: SegmenterOptionsError.maxTooShort(100)) {
            try SegmenterOptions(minSpeechMs: 250, maxSegmentMs: 100).validate()
        }
    }
}
