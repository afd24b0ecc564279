/// Tells whether a level (dB) has stayed steady over the last `hops` observations: its standard
/// deviation below `maxDeviation`. Speech is modulated by its syllables at 3–8 Hz, so its level
/// swings by several decibels within a second; a hum or a held tone does not. Allocation-free.
final class SteadyLevel {
    private let values: SampleBuffer
    private var index = 0
    private var filled = 0
    private let maxDeviation: Float

    init(hops: Int, maxDeviation: Float = 1) {
        values = SampleBuffer(count: hops)
        self.maxDeviation = maxDeviation
    }

    /// Records `level` and returns whether the full window is steady.
    func observe(_ level: Float) -> Bool {
        values[index] = level
        index = (index + 1) % values.count
        filled = min(filled + 1, values.count)
        guard filled == values.count else { return false }
        // A fresh two-pass sum each time: exact, no drift, and cheap (one pass of `hops` values).
        var sum: Float = 0
        for i in 0..<values.count { sum += values[i] }
        let mean = sum / Float(values.count)
        var squares: Float = 0
        for i in 0..<values.count {
            let d = values[i] - mean
            squares += d * d
        }
        return squares / Float(values.count) < maxDeviation * maxDeviation
    }

    func reset() {
        index = 0
        filled = 0
    }
}
