/// The error codes of the MLflow REST protocol that Cairn emits.
///
/// The HTTP status for each code is decided in exactly one place, ``httpStatus``.
public enum ErrorCode: String, Sendable, CaseIterable {
    case internalError = "INTERNAL_ERROR"
    case badRequest = "BAD_REQUEST"
    case invalidParameterValue = "INVALID_PARAMETER_VALUE"
    case resourceAlreadyExists = "RESOURCE_ALREADY_EXISTS"
    case resourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
    case endpointNotFound = "ENDPOINT_NOT_FOUND"
    case invalidState = "INVALID_STATE"
    case notImplemented = "NOT_IMPLEMENTED"
    case permissionDenied = "PERMISSION_DENIED"
    /// No credentials, or credentials that name no user (HTTP 401).
    case unauthenticated = "UNAUTHENTICATED"
    case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"
    case requestLimitExceeded = "REQUEST_LIMIT_EXCEEDED"
    /// A request larger than the endpoint accepts (HTTP 413).
    case resourceLimitExceeded = "RESOURCE_LIMIT_EXCEEDED"

    /// The HTTP status code MLflow clients expect for this error code.
    ///
    /// `RESOURCE_ALREADY_EXISTS` is 400 (not 409): the client's `register_model` relies on it.
    /// `INVALID_STATE` (renaming a deleted experiment) is the caller's mistake, so 400 where the
    /// reference answers 500: a 5xx would make the client retry a request that can never succeed.
    public var httpStatus: Int {
        switch self {
        case .badRequest, .invalidParameterValue, .resourceAlreadyExists, .invalidState: 400
        case .unauthenticated: 401
        case .permissionDenied: 403
        case .resourceDoesNotExist, .endpointNotFound: 404
        case .resourceLimitExceeded: 413
        case .requestLimitExceeded: 429
        case .internalError: 500
        case .notImplemented: 501
        case .temporarilyUnavailable: 503
        }
    }
}

/// A typed error that travels to the client as `{"error_code": ..., "message": ...}`.
public struct MlflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The protocol error code.
    public var code: ErrorCode
    /// A human-readable message; clients match on substrings of it, so keep texts stable.
    public var message: String

    /// Creates an error with a code and message.
    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// `INVALID_PARAMETER_VALUE` with the given message.
    public static func invalid(_ message: String) -> MlflowError { .init(.invalidParameterValue, message) }

    /// `RESOURCE_DOES_NOT_EXIST` with the given message.
    public static func notFound(_ message: String) -> MlflowError { .init(.resourceDoesNotExist, message) }

    /// The error for a required request field that is absent.
    public static func missing(_ field: String) -> MlflowError {
        .invalid(
            "Missing value for required parameter '\(field)'. See the API docs for more information about request parameters."
        )
    }

    /// The error for an experiment id that does not exist.
    public static func noExperiment(_ id: String) -> MlflowError { .notFound("No Experiment with id=\(id) exists") }

    /// The error for a run id that does not exist.
    public static func noRun(_ id: String) -> MlflowError { .notFound("Run with id=\(id) not found") }
}
