/// Why a scoring request was refused or failed, with the HTTP status to answer.
///
/// The routes render it in the protocol's own shape: MLflow's `{"error_code", "message"}` on
/// `/invocations`, `{"error": …}` on the Open Inference routes.
public struct ScoringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// MLflow's error code (`BAD_REQUEST`, `INVALID_PARAMETER_VALUE`, …).
    public var code: String
    /// What was wrong, for people.
    public var message: String

    public init(status: Int, code: String = "BAD_REQUEST", _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// 400 `BAD_REQUEST`.
    public static func badRequest(_ message: String) -> ScoringError { .init(status: 400, message) }
    /// 415: a content type the server does not read (answered as plain text, as MLflow's scoring server does).
    public static func unsupportedMediaType(_ message: String) -> ScoringError { .init(status: 415, message) }

    /// Whether the answer is plain text rather than JSON (MLflow answers 415 that way).
    public var isPlainText: Bool { status == 415 }
    /// 503: no worker could answer (crashed, restarting, or the model is not loaded).
    public static func unavailable(_ message: String) -> ScoringError {
        .init(status: 503, code: "TEMPORARILY_UNAVAILABLE", message)
    }
    /// 504: the prediction took longer than the timeout.
    public static func timeout(seconds: Double) -> ScoringError {
        .init(
            status: 504, code: "BAD_REQUEST",
            "Request processing time exceeded limit (\(formatSeconds(seconds)) s).")
    }
}

func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? String(Int(s)) : String(s)
}
