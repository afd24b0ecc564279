import Foundation

/// Converts a stream between sample rates with a polyphase windowed-sinc filter.
///
/// The rate ratio is reduced to `up/down`; each output sample is the input convolved with a
/// Kaiser-windowed sinc (β = 9, 24 zero crossings each side of the centre, cut-off at 0.94 of the
/// lower Nyquist frequency), which keeps aliasing and imaging below about −85 dB. The `up` phase
/// filters are precomputed. Input may arrive in chunks of any size; ``flush()`` returns the tail.
///
/// ```swift
/// var resampler = try Resampler(from: 48000, to: 16000)
/// let out = resampler.process(chunk) + resampler.flush()
/// ```
public struct Resampler: Sendable {
    public let inputRate: Int
    public let outputRate: Int
    private let up: Int
    private let down: Int
    private let half: Int
    private let phases: [[Float]]
    private var buffer: [Float]
    /// Position of the next output sample in units of 1/up input samples, relative to buffer[0].
    private var position: Int
    private var inputCount = 0
    private var outputCount = 0

    /// A resampler from `inputRate` to `outputRate` Hz.
    public init(from inputRate: Int, to outputRate: Int) throws(AudioError) {
        guard inputRate > 0, inputRate <= 768_000 else { throw .unsupportedRate(inputRate) }
        guard outputRate > 0, outputRate <= 768_000 else { throw .unsupportedRate(outputRate) }
        self.inputRate = inputRate
        self.outputRate = outputRate
        let g = Self.gcd(inputRate, outputRate)
        up = outputRate / g
        down = inputRate / g
        let zeroCrossings = 24
        // Cut-off relative to the input Nyquist frequency; stretch the kernel when decimating.
        let cutoff = 0.94 * min(1, Double(up) / Double(down))
        half = Int((Double(zeroCrossings) / cutoff).rounded(.up))
        let beta = 9.0
        let i0Beta = Self.besselI0(beta)
        var phases: [[Float]] = []
        phases.reserveCapacity(up)
        for p in 0..<up {
            // Taps for input samples at offsets k = -half+1 ... half from floor(t), with t = n + p/up.
            let fraction = Double(p) / Double(up)
            var taps = [Float](repeating: 0, count: 2 * half)
            for j in 0..<(2 * half) {
                let x = Double(j - half + 1) - fraction
                let arg = cutoff * x
                let sinc = arg == 0 ? 1 : sin(Double.pi * arg) / (Double.pi * arg)
                let r = x / Double(half)
                let window = abs(r) >= 1 ? 0 : Self.besselI0(beta * (1 - r * r).squareRoot()) / i0Beta
                taps[j] = Float(cutoff * sinc * window)
            }
            phases.append(taps)
        }
        self.phases = phases
        buffer = [Float](repeating: 0, count: half - 1)
        position = (half - 1) * up
    }

    /// Whether input and output rates are equal (``process(_:)`` copies).
    public var isIdentity: Bool { up == down }

    /// Resamples the next chunk of input; returns the output it completes.
    public mutating func process(_ input: [Float]) -> [Float] {
        if isIdentity { return input }
        inputCount += input.count
        let out = convolve(input)
        outputCount += out.count
        return out
    }

    private mutating func convolve(_ input: [Float]) -> [Float] {
        buffer.append(contentsOf: input)
        var out: [Float] = []
        out.reserveCapacity(input.count * up / down + 1)
        buffer.withUnsafeBufferPointer { samples in
            while true {
                let base = position / up
                let phase = position % up
                guard base + half < samples.count else { break }
                let taps = phases[phase]
                var acc: Float = 0
                let start = base - half + 1
                taps.withUnsafeBufferPointer { h in
                    for j in 0..<h.count { acc += h[j] * samples[start + j] }
                }
                out.append(acc)
                position += down
            }
        }
        // Drop input no future output needs.
        let firstNeeded = position / up - half + 1
        if firstNeeded > 0 {
            buffer.removeFirst(firstNeeded)
            position -= firstNeeded * up
        }
        return out
    }

    /// Pushes zeros through the filter so the last input samples come out.
    public mutating func flush() -> [Float] {
        if isIdentity { return [] }
        let expected = (inputCount * up + down - 1) / down - outputCount
        var out = convolve([Float](repeating: 0, count: half + 1))
        if out.count > expected { out.removeLast(out.count - max(expected, 0)) }
        outputCount += out.count
        return out
    }

    /// Resamples a whole signal.
    public static func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int) throws(AudioError)
        -> [Float]
    {
        var resampler = try Resampler(from: inputRate, to: outputRate)
        let expected = Int((Double(samples.count) * Double(outputRate) / Double(inputRate)).rounded())
        var out = resampler.process(samples)
        out += resampler.flush()
        if out.count > expected { out.removeLast(out.count - expected) }
        while out.count < expected { out.append(0) }
        return out
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The zeroth-order modified Bessel function of the first kind, by its power series.
    private static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let q = x * x / 4
        var k = 1.0
        while term > 1e-12 * sum {
            term *= q / (k * k)
            sum += term
            k += 1
        }
        return sum
    }
}
