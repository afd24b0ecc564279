/// Tracks the background level of a feature in decibels: it falls quickly to quieter input and
/// creeps up slowly, so it settles near the quiet end of the stationary noise while speech, which
/// is louder and intermittent, barely moves it. A minimum-tracking estimator in the spirit of
/// Martin's minimum statistics, with a fixed rise rate instead of a search window.
struct NoiseFloor {
    /// The current floor in dB, or nil before the first observation.
    private(set) var level: Float?
    /// Fraction of the way the floor moves toward quieter input each hop.
    var fallRate: Float = 0.25
    /// dB per hop the floor rises while the input is louder and no speech is present.
    var riseWhileQuiet: Float = 0.03
    /// dB per hop the floor rises during speech.
    var riseDuringSpeech: Float = 0.005

    /// Folds in one observation and returns the updated floor.
    mutating func update(_ value: Float, speech: Bool) -> Float {
        guard let current = level else {
            level = value
            return value
        }
        let next: Float
        if value < current {
            next = current + fallRate * (value - current)
        } else {
            next = min(value, current + (speech ? riseDuringSpeech : riseWhileQuiet))
        }
        level = next
        return next
    }

    /// Raises the floor to `value` at once (a background that is known to have changed).
    mutating func raise(to value: Float) {
        if let current = level, current >= value { return }
        level = value
    }

    mutating func reset() { level = nil }
}
