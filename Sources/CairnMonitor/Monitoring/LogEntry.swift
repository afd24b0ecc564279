import CairnCore
import CairnServingCore

/// One line of a prediction log: a prediction written by `cairn serve`, or a label from `POST /feedback`.
public enum LogEntry: Sendable, Equatable {
    /// A predicted row (or a failed request's row).
    case prediction(PredictionRecord)
    /// Ground truth for an earlier prediction.
    case label(LabelRecord)

    /// Parses one line; nil when it is neither kind (a damaged or foreign line).
    public static func parse(_ line: ArraySlice<UInt8>) -> LogEntry? {
        guard let json = try? JSONParser.parse(Array(line)) else { return nil }
        if json["kind"] != nil {
            return LabelRecord(json: json).map(LogEntry.label)
        }
        return PredictionRecord(json: json).map(LogEntry.prediction)
    }
}
