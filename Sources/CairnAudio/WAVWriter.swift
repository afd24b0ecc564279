import Foundation

/// Encodes mono samples as a WAV file.
public enum WAVWriter {
    /// The bytes of a mono WAV file holding `samples` (−1…1) as 16-bit PCM or 32-bit float.
    public static func encode(_ samples: some Collection<Float>, sampleRate: Int, float: Bool = false) -> [UInt8] {
        let width = float ? 4 : 2
        let dataSize = samples.count * width
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataSize)
        func put32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func put16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        out.append(contentsOf: Array("RIFF".utf8))
        put32(UInt32(36 + dataSize))
        out.append(contentsOf: Array("WAVEfmt ".utf8))
        put32(16)
        put16(float ? 3 : 1)
        put16(1)
        put32(UInt32(sampleRate))
        put32(UInt32(sampleRate * width))
        put16(UInt16(width))
        put16(UInt16(width * 8))
        out.append(contentsOf: Array("data".utf8))
        put32(UInt32(dataSize))
        for sample in samples {
            if float {
                put32(sample.bitPattern)
            } else {
                // The inverse of the reader's x / 32768, so 16-bit audio round-trips bit for bit.
                let scaled = (sample * 32768).rounded()
                put16(UInt16(bitPattern: Int16(max(-32768, min(32767, scaled.isNaN ? 0 : scaled)))))
            }
        }
        return out
    }

    /// Writes a mono WAV file.
    public static func write(
        _ samples: some Collection<Float>, sampleRate: Int, to path: String, float: Bool = false
    ) throws(AudioError) {
        let bytes = encode(samples, sampleRate: sampleRate, float: float)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .io("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
