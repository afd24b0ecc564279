import Foundation

/// A second-order IIR section in transposed direct form II.
///
/// Coefficients follow the RBJ audio-EQ cookbook formulas (high-pass with quality factor Q).
struct Biquad {
    private var b0: Float = 1
    private var b1: Float = 0
    private var b2: Float = 0
    private var a1: Float = 0
    private var a2: Float = 0
    private var z1: Float = 0
    private var z2: Float = 0

    /// A Butterworth-like high-pass at `cutoff` Hz for a signal sampled at `sampleRate` Hz.
    static func highPass(cutoff: Double, sampleRate: Double, q: Double = 0.7071) -> Biquad {
        let w0 = 2 * Double.pi * cutoff / sampleRate
        let alpha = sin(w0) / (2 * q)
        let cosW0 = cos(w0)
        let a0 = 1 + alpha
        var filter = Biquad()
        filter.b0 = Float((1 + cosW0) / 2 / a0)
        filter.b1 = Float(-(1 + cosW0) / a0)
        filter.b2 = Float((1 + cosW0) / 2 / a0)
        filter.a1 = Float(-2 * cosW0 / a0)
        filter.a2 = Float((1 - alpha) / a0)
        return filter
    }

    /// Filters one sample.
    @inline(__always)
    mutating func tick(_ x: Float) -> Float {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }

    /// Zeroes state too small to matter, so digital silence after loud input stays fast.
    mutating func flushDenormals() {
        if abs(z1) < 1e-20 { z1 = 0 }
        if abs(z2) < 1e-20 { z2 = 0 }
    }

    mutating func reset() {
        z1 = 0
        z2 = 0
    }
}
