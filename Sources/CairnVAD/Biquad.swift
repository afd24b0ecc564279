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

    /// Filters `count` samples from `input` into `output` (which may be the same memory).
    mutating func process(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        var z1 = self.z1
        var z2 = self.z2
        for i in 0..<count {
            let x = input[i]
            let y = b0 * x + z1
            z1 = b1 * x - a1 * y + z2
            z2 = b2 * x - a2 * y
            output[i] = y
        }
        // Flush denormals so digital silence after loud input does not slow the filter down.
        self.z1 = abs(z1) < 1e-20 ? 0 : z1
        self.z2 = abs(z2) < 1e-20 ? 0 : z2
    }

    mutating func reset() {
        z1 = 0
        z2 = 0
    }
}
