/// Why a copy or an import stopped, with a message meant for the person running it.
public enum TransferError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input names something that is not there or cannot be used (a usage error).
    case badInput(String)
    /// The data cannot be moved as it is (a conflict with the target, a malformed source file).
    case conflict(String)

    /// The message.
    public var description: String {
        switch self {
        case .badInput(let m), .conflict(let m): m
        }
    }
}
