/// The sample encoding of a WAV file's `fmt ` chunk.
public struct WAVFormat: Sendable, Equatable {
    /// Sample encodings Cairn reads and writes.
    public enum Encoding: Sendable, Equatable {
        /// Signed integer PCM (unsigned for 8-bit) of `bits` bits.
        case pcm(bits: Int)
        /// IEEE float of 32 or 64 bits.
        case float(bits: Int)
    }

    public var encoding: Encoding
    public var sampleRate: Int
    public var channels: Int

    public init(encoding: Encoding, sampleRate: Int, channels: Int) {
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Bytes per sample of one channel.
    public var bytesPerSample: Int {
        switch encoding {
        case .pcm(let bits), .float(let bits): bits / 8
        }
    }

    /// Bytes per frame (one sample of every channel).
    public var blockAlign: Int { bytesPerSample * channels }

    /// Parses the body of a `fmt ` chunk.
    static func parse(_ body: [UInt8]) throws(AudioError) -> WAVFormat {
        guard body.count >= 16 else { throw .malformed("fmt chunk is \(body.count) bytes, needs 16") }
        var tag = Int(readLE16(body, 0))
        let channels = Int(readLE16(body, 2))
        let rate = Int(readLE32(body, 4))
        let bits = Int(readLE16(body, 14))
        if tag == 0xFFFE {
            guard body.count >= 26 else { throw .malformed("extensible fmt chunk is too short") }
            tag = Int(readLE16(body, 24))  // first two bytes of the sub-format GUID
        }
        guard channels >= 1 else { throw .malformed("fmt chunk declares \(channels) channels") }
        guard rate > 0 && rate <= 768_000 else { throw .malformed("sample rate \(rate) Hz") }
        switch (tag, bits) {
        case (1, 8), (1, 16), (1, 24), (1, 32):
            return WAVFormat(encoding: .pcm(bits: bits), sampleRate: rate, channels: channels)
        case (3, 32), (3, 64):
            return WAVFormat(encoding: .float(bits: bits), sampleRate: rate, channels: channels)
        default:
            let name = tag == 1 ? "PCM" : tag == 3 ? "float" : "format tag \(tag)"
            throw .unsupportedFormat(
                "\(name) with \(bits) bits per sample (supported: PCM 8/16/24/32-bit, float 32/64-bit)")
        }
    }
}

@inline(__always)
func readLE16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
}

@inline(__always)
func readLE32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
}
