import Foundation

/// Reads mono audio from a WAV file, a raw PCM file, or standard input, in chunks, so that long
/// recordings and live pipes never need to fit in memory.
///
/// WAV input is recognised by its `RIFF` header; anything else is read as raw little-endian PCM
/// described by ``RawPCMFormat``. Multi-channel audio is mixed down to mono by averaging. A WAV
/// stream whose data size is unknown (0 or 0xFFFFFFFF, as written by tools piping to stdout) is
/// read until end of input.
///
/// ```swift
/// let reader = try AudioReader(path: "call.wav")
/// while let chunk = try reader.read(maxFrames: 4096) { process(chunk) }
/// ```
public final class AudioReader {
    /// The stream's format (for raw input, the format it was declared to have).
    public let format: WAVFormat
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var pending: [UInt8] = []
    private var remaining: Int?
    private var finished = false
    /// Frames (samples per channel) read so far.
    public private(set) var framesRead = 0

    /// Opens `path` (`-` for standard input). Raw PCM needs `raw`; WAV input ignores it.
    public convenience init(path: String, raw: RawPCMFormat? = nil) throws(AudioError) {
        let descriptor: Int32
        if path == "-" {
            descriptor = 0
        } else {
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
        }
        try self.init(
            descriptor: descriptor, owned: path != "-", bytes: [], raw: raw,
            name: path == "-" ? "standard input" : path)
    }

    /// Reads audio held in memory (for example an HTTP request body).
    public convenience init(bytes: [UInt8], raw: RawPCMFormat? = nil) throws(AudioError) {
        try self.init(descriptor: -1, owned: false, bytes: bytes, raw: raw, name: "the input")
    }

    private init(descriptor: Int32, owned: Bool, bytes: [UInt8], raw: RawPCMFormat?, name: String)
        throws(AudioError)
    {
        self.descriptor = descriptor
        self.ownsDescriptor = owned
        pending = bytes
        do throws(AudioError) {
            let magic = try Self.fill(descriptor, &pending, to: 12)
            // Headerless PCM may start with bytes like an MP3 frame sync, so with --raw-rate only
            // unambiguous magic numbers count.
            if let kind = Self.recognisedFormat(pending, frameSync: raw == nil) {
                let ext = kind.split(separator: "/").last.map { $0.lowercased() } ?? "audio"
                throw .notWAV(
                    "\(name) is \(kind) audio, which Cairn does not decode; convert it to 16 kHz WAV first, "
                        + "e.g. sox in.\(ext) -r 16000 -c 1 out.wav")
            }
            if magic >= 4 && pending[0..<4] == [0x52, 0x49, 0x46, 0x46] {
                (format, remaining) = try Self.parseHeader(descriptor, &pending)
            } else if let raw {
                format = WAVFormat(encoding: raw.encoding, sampleRate: raw.sampleRate, channels: raw.channels)
                remaining = nil
            } else if magic == 0 {
                throw .notWAV("\(name) is empty")
            } else {
                throw .notWAV(
                    "\(name) has no RIFF header. Readable formats: WAV (PCM 8/16/24/32-bit or float 32/64-bit), "
                        + "or headerless PCM with --raw-rate; convert others first, e.g. sox in.mp3 out.wav")
            }
        } catch {
            if owned { close(descriptor) }
            throw error
        }
    }

    /// Names a common non-WAV audio container from its first bytes.
    static func recognisedFormat(_ head: [UInt8], frameSync: Bool = true) -> String? {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts(Array("fLaC".utf8)) { return "FLAC" }
        if starts(Array("OggS".utf8)) { return "Ogg" }
        if starts(Array("ID3".utf8)) { return "MP3" }
        if frameSync && head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0 { return "MP3" }
        if head.count >= 8, Array(head[4..<8]) == Array("ftyp".utf8) { return "MP4/M4A" }
        if starts(Array("FORM".utf8)) { return "AIFF" }
        return nil
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Reads up to `maxFrames` frames as mono samples in −1…1; nil once the stream is exhausted.
    public func read(maxFrames: Int) throws(AudioError) -> [Float]? {
        let align = format.blockAlign
        var wanted = maxFrames * align
        if let remaining { wanted = min(wanted, remaining) }
        guard wanted > 0, !(finished && pending.count < align) else { return nil }
        let available = try Self.fill(descriptor, &pending, to: wanted)
        let usable = min(available, wanted) / align * align
        if usable == 0 {
            finished = true
            return nil
        }
        let samples = pending.withUnsafeBytes { decode(UnsafeRawBufferPointer(rebasing: $0[0..<usable])) }
        pending.removeFirst(usable)
        if let remaining { self.remaining = remaining - usable }
        framesRead += samples.count
        return samples
    }

    /// Reads the whole stream.
    public func readAll() throws(AudioError) -> [Float] {
        if descriptor < 0 {
            // In memory: decode everything at once instead of chunk by chunk.
            let frames = (remaining.map { min($0, pending.count) } ?? pending.count) / format.blockAlign
            return try read(maxFrames: max(frames, 1)) ?? []
        }
        var all: [Float] = []
        while let chunk = try read(maxFrames: 65536) { all.append(contentsOf: chunk) }
        return all
    }

    private func decode(_ bytes: UnsafeRawBufferPointer) -> [Float] {
        let channels = format.channels
        let width = format.bytesPerSample
        let frames = bytes.count / format.blockAlign
        var out = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(channels)
        for f in 0..<frames {
            var sum: Float = 0
            for c in 0..<channels {
                let offset = (f * channels + c) * width
                sum += sample(bytes, offset)
            }
            out[f] = channels == 1 ? sum : sum * scale
        }
        return out
    }

    @inline(__always)
    private func sample(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        switch format.encoding {
        case .pcm(bits: 16):
            return Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self))) / 32768
        case .pcm(bits: 8):
            return (Float(bytes[offset]) - 128) / 128
        case .pcm(bits: 24):
            let value =
                Int32(bytes[offset]) | Int32(bytes[offset + 1]) << 8 | Int32(Int8(bitPattern: bytes[offset + 2])) << 16
            return Float(value) / 8_388_608
        case .pcm:
            return Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                / 2_147_483_648
        case .float(bits: 64):
            return Float(
                Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case .float:
            return Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
    }

    /// Reads from `fd` until `buffer` holds at least `count` bytes or input ends; returns its size.
    private static func fill(_ fd: Int32, _ buffer: inout [UInt8], to count: Int) throws(AudioError) -> Int {
        if fd < 0 { return buffer.count }  // in-memory input
        var chunk = [UInt8](repeating: 0, count: max(65536, count - buffer.count))
        while buffer.count < count {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            buffer.append(contentsOf: chunk[0..<n])
        }
        return buffer.count
    }

    /// Walks the RIFF chunks up to `data`; returns the format and the data size if it is known.
    private static func parseHeader(_ fd: Int32, _ buffer: inout [UInt8]) throws(AudioError) -> (WAVFormat, Int?) {
        guard buffer.count >= 12, buffer[8..<12] == [0x57, 0x41, 0x56, 0x45] else {
            throw .notWAV("RIFF file is not of type WAVE")
        }
        buffer.removeFirst(12)
        var format: WAVFormat?
        while true {
            guard try fill(fd, &buffer, to: 8) >= 8 else {
                throw .malformed(format == nil ? "no fmt chunk" : "no data chunk")
            }
            let id = String(decoding: buffer[0..<4], as: UTF8.self)
            let size = Int(readLE32(buffer, 4))
            buffer.removeFirst(8)
            if id == "data" {
                guard let format else { throw .malformed("data chunk before fmt chunk") }
                let known = size == 0 || size == 0xFFFF_FFFF ? nil : size
                return (format, known)
            }
            guard size <= 1 << 24 else { throw .malformed("\(id) chunk of \(size) bytes before the audio") }
            let padded = size + (size & 1)
            guard try fill(fd, &buffer, to: padded) >= padded else { throw .malformed("truncated \(id) chunk") }
            if id == "fmt " { format = try WAVFormat.parse(Array(buffer[0..<size])) }
            buffer.removeFirst(padded)
        }
    }
}

/// How to interpret headerless PCM input.
public struct RawPCMFormat: Sendable, Equatable {
    public var encoding: WAVFormat.Encoding
    public var sampleRate: Int
    public var channels: Int

    /// Little-endian signed 16-bit PCM (the default), or another encoding.
    public init(sampleRate: Int, channels: Int = 1, encoding: WAVFormat.Encoding = .pcm(bits: 16)) {
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channels = channels
    }
}
