/// Why audio could not be read, written or converted.
public enum AudioError: Error, Equatable, CustomStringConvertible {
    case notWAV(String)
    case malformed(String)
    case unsupportedFormat(String)
    case unsupportedRate(Int)
    case io(String)

    public var description: String {
        switch self {
        case .notWAV(let detail): "not a WAV file: \(detail)"
        case .malformed(let detail): "malformed WAV file: \(detail)"
        case .unsupportedFormat(let detail): "unsupported audio format: \(detail)"
        case .unsupportedRate(let rate): "unsupported sample rate \(rate) Hz"
        case .io(let detail): detail
        }
    }
}
