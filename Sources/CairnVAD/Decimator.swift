import Foundation

/// Low-pass filters and decimates a stream by an integer factor, one block at a time.
///
/// A Blackman-windowed sinc FIR (16 taps per output step); only every `factor`-th output is computed.
/// Block sizes must be multiples of `factor` and at most `maxBlock`.
final class Decimator {
    let factor: Int
    private let taps: SampleBuffer
    private let tapCount: Int
    private let buffer: SampleBuffer
    private let maxBlock: Int

    init(factor: Int, cutoff: Double, sampleRate: Double, maxBlock: Int) {
        precondition(factor >= 1 && maxBlock % factor == 0)
        self.factor = factor
        self.maxBlock = maxBlock
        tapCount = factor == 1 ? 1 : 16 * factor
        taps = SampleBuffer(count: tapCount)
        if factor == 1 {
            taps[0] = 1
        } else {
            let fc = cutoff / sampleRate
            let m = Double(tapCount - 1)
            var sum = 0.0
            var values = [Double](repeating: 0, count: tapCount)
            for n in 0..<tapCount {
                let x = Double(n) - m / 2
                let sinc = x == 0 ? 2 * fc : sin(2 * Double.pi * fc * x) / (Double.pi * x)
                let window = 0.42 - 0.5 * cos(2 * Double.pi * Double(n) / m) + 0.08 * cos(4 * Double.pi * Double(n) / m)
                values[n] = sinc * window
                sum += values[n]
            }
            for n in 0..<tapCount { taps[n] = Float(values[n] / sum) }
        }
        buffer = SampleBuffer(count: tapCount - 1 + maxBlock)
    }

    /// Filters `count` input samples and writes `count / factor` outputs.
    func process(_ input: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Float>) {
        precondition(count <= maxBlock && count % factor == 0)
        let history = tapCount - 1
        let base = buffer.pointer
        (base + history).update(from: input, count: count)
        let h = taps.pointer
        var o = 0
        var start = factor - 1  // the newest sample of output o sits at history + start
        while start < count {
            // Output o ends at new sample `start`: it reads base[start ... start + history]. The FIR is
            // symmetric, so reading the window forwards against the taps is the same convolution.
            let window = base + start
            output[o] = tapCount == 1 ? h[0] * window[0] : dot(h, window, count: tapCount)
            o += 1
            start += factor
        }
        base.update(from: base + count, count: history)
    }

    func reset() { buffer.fill(0) }
}
