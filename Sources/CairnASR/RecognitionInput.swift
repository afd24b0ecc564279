import CairnAudio
import Foundation

/// Turns a request body into 16 kHz 16-bit mono samples for the decoder.
///
/// Accepted bodies:
/// * WAV (`audio/wav`, `audio/wave`, `audio/x-wav`, `audio/vnd.wave`), any PCM/float format, any
///   channel count and rate (mixed down and resampled);
/// * raw little-endian 16-bit mono PCM (`application/octet-stream` or `audio/pcm`, rate 16000
///   unless a `rate=` parameter says otherwise);
/// * `audio/L16` (big-endian, as RFC 2586 defines it; `rate=` parameter, default 16000).
/// A body of one of the raw types that starts with a RIFF header is read as WAV. No content type
/// at all is sniffed the same way.
public struct RecognitionInput: Sendable {
    /// Samples at 16 kHz.
    public var samples: [Int16]
    /// Duration in seconds.
    public var duration: Double { Double(samples.count) / 16000 }

    /// Why a body was refused, with the HTTP status to answer.
    public struct Rejection: Error, Equatable {
        public var status: Int
        public var message: String
    }

    static let wavTypes: Set<String> = ["audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave"]
    static let rawTypes: Set<String> = ["application/octet-stream", "audio/pcm"]

    /// Decodes `body` sent with `contentType`.
    public init(body: [UInt8], contentType: String?) throws(Rejection) {
        guard !body.isEmpty else { throw Rejection(status: 400, message: "empty body: send WAV or 16 kHz PCM audio") }
        let (mediaType, parameters) = Self.parse(contentType)
        let isRIFF = body.count >= 4 && body[0..<4] == [0x52, 0x49, 0x46, 0x46]
        let rate = parameters["rate"].flatMap(Int.init) ?? 16000
        guard (1000...768_000).contains(rate) else {
            throw Rejection(status: 400, message: "rate parameter \(parameters["rate"] ?? "") is not a sample rate")
        }
        let floats: [Float]
        let sourceRate: Int
        switch mediaType {
        case let type where Self.wavTypes.contains(type) || ((type.isEmpty || Self.rawTypes.contains(type)) && isRIFF):
            guard isRIFF else { throw Rejection(status: 400, message: "body is not a WAV file (no RIFF header)") }
            do {
                let reader = try AudioReader(bytes: body)
                floats = try reader.readAll()
                sourceRate = reader.format.sampleRate
            } catch {
                throw Rejection(status: 400, message: "\(error)")
            }
        case let type where type.isEmpty || Self.rawTypes.contains(type) || type == "audio/l16":
            guard body.count % 2 == 0 else {
                throw Rejection(status: 400, message: "raw PCM body has an odd number of bytes (\(body.count))")
            }
            let bigEndian = type == "audio/l16"
            floats = stride(from: 0, to: body.count, by: 2).map { i in
                let value =
                    bigEndian
                    ? UInt16(body[i]) << 8 | UInt16(body[i + 1])
                    : UInt16(body[i]) | UInt16(body[i + 1]) << 8
                return Float(Int16(bitPattern: value)) / 32768
            }
            sourceRate = rate
        default:
            throw Rejection(
                status: 415,
                message: "unsupported content type \(mediaType): send audio/wav, or 16-bit PCM as "
                    + "application/octet-stream, audio/pcm or audio/L16")
        }
        let resampled: [Float]
        do {
            resampled = try Resampler.resample(floats, from: sourceRate, to: 16000)
        } catch {
            throw Rejection(status: 400, message: "\(error)")
        }
        guard !resampled.isEmpty else { throw Rejection(status: 400, message: "the audio has no samples") }
        samples = resampled.map { Int16(max(-32768, min(32767, ($0 * 32768).rounded()))) }
    }

    /// RMS level in dBFS (−120 for digital silence).
    public var loudnessDBFS: Double {
        guard !samples.isEmpty else { return -120 }
        var sum = 0.0
        for s in samples {
            let x = Double(s) / 32768
            sum += x * x
        }
        return max(10 * log10(sum / Double(samples.count)), -120)
    }

    static func parse(_ contentType: String?) -> (String, [String: String]) {
        guard let contentType else { return ("", [:]) }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0) }
            if pair.count == 2 {
                parameters[pair[0].lowercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return ((parts.first ?? "").lowercased(), parameters)
    }
}
