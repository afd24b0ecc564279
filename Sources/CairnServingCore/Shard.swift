/// One part of a batch input split deterministically over `count` workers: part `index` takes the rows (or files)
/// whose 0-based ordinal `o` has `o % count == index`, so the parts are disjoint, cover the input, and need no
/// coordination (an Indexed Job's pods each run one).
///
/// ```swift
/// let shard = try Shard(parsing: "1/4")   // rows 1, 5, 9, …
/// shard.owns(5)                            // true
/// ```
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// This part, 0-based.
    public let index: Int
    /// The number of parts.
    public let count: Int

    /// The whole input (shard 0 of 1).
    public static let all = Shard(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// Parses `I/N` with 0 ≤ I < N; the error says what is wrong.
    public init(parsing text: String) throws(ScoringError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .badRequest("--shard takes I/N, e.g. 0/4 for the first of four parts (got '\(text)').")
        }
        guard count >= 1, count <= 100_000, (0..<count).contains(index) else {
            throw .badRequest("--shard \(text): N must be 1-100000 and I between 0 and N-1.")
        }
        self.index = index
        self.count = count
    }

    /// Whether the row or file with this 0-based ordinal belongs to this part.
    public func owns(_ ordinal: Int) -> Bool { ordinal % count == index }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}
