/// A streaming concept-drift detector: feed one value at a time and read the flags after each update.
///
/// Detectors follow river 0.26.1's conventions: flags describe the latest update, and a detector that has
/// just flagged drift resets its whole state at the next update. Binary detectors take 1 for an error and 0
/// for a correct prediction.
///
/// ```swift
/// var detector = try ADWIN()
/// for (i, x) in stream.enumerated() {
///     detector.update(x)
///     if detector.driftDetected { print("drift at", i) }
/// }
/// ```
public protocol DriftDetector: Sendable {
    /// Feeds one observation.
    mutating func update(_ x: Double)
    /// Whether the latest update signalled drift.
    var driftDetected: Bool { get }
    /// Whether the latest update signalled a warning; `false` for detectors without a warning zone.
    var warningDetected: Bool { get }
    /// Returns the detector to its initial state.
    mutating func reset()
}

extension DriftDetector {
    /// Detectors without a warning zone never warn.
    public var warningDetected: Bool { false }
}

/// One detection in a stream.
public struct Detection: Sendable, Equatable, Codable {
    /// What was signalled.
    public enum Kind: String, Sendable, Codable {
        /// A drift.
        case drift
        /// A warning.
        case warning
    }

    /// 0-based index of the observation at which it was signalled.
    public var index: Int
    /// Drift or warning.
    public var kind: Kind

    /// Creates a detection.
    public init(index: Int, kind: Kind) {
        self.index = index
        self.kind = kind
    }
}

extension DriftDetector {
    /// Runs the detector over `values` and returns every drift (and, if asked, warning) in order.
    public mutating func detections(in values: [Double], includeWarnings: Bool = false) -> [Detection] {
        var out: [Detection] = []
        for (i, x) in values.enumerated() {
            update(x)
            if driftDetected {
                out.append(Detection(index: i, kind: .drift))
            } else if includeWarnings && warningDetected {
                out.append(Detection(index: i, kind: .warning))
            }
        }
        return out
    }
}

/// Incremental mean in river's form: n += 1; mean += (x − mean)/n.
struct RunningMean: Sendable {
    var n = 0.0
    var mean = 0.0

    mutating func update(_ x: Double) {
        n += 1
        mean += (1 / n) * (x - mean)
    }
}
