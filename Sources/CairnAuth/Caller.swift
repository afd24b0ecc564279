import CairnStore

/// Who sent the request being handled, and how they proved it.
///
/// The auth middleware binds it for the rest of the request with ``Caller/$current``; handlers read
/// ``Caller/current`` (nil when the server runs without authentication).
///
/// ```swift
/// try await Caller.$current.withValue(caller) { try await next(request, context) }
/// ```
public struct Caller: Sendable, Equatable {
    /// How the caller authenticated.
    public enum Method: Sendable, Equatable {
        case password
        case token(id: String)
        /// A browser session, with the form token its pages carry.
        case session(formToken: String)
    }

    public var userId: Int64
    public var username: String
    public var isAdmin: Bool
    public var method: Method
    /// The client's address as the server saw it.
    public var address: String

    /// Creates a caller.
    public init(userId: Int64, username: String, isAdmin: Bool, method: Method, address: String) {
        self.userId = userId
        self.username = username
        self.isAdmin = isAdmin
        self.method = method
        self.address = address
    }

    /// The caller of the request being handled.
    @TaskLocal public static var current: Caller?

    /// The address of the request being handled, also when nobody is signed in.
    @TaskLocal public static var address: String = "-"
}
