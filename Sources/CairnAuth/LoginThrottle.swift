import CairnCore
import Synchronization

/// Refuses sign-ins after repeated failures, per user name and per client address.
///
/// Each key may fail `limit` times within `window`; after that every attempt is refused until the
/// oldest failure leaves the window. A success clears the user's count (not the address's, so one
/// valid account cannot be used to reset a guessing run from the same address).
///
/// ```swift
/// let throttle = LoginThrottle()
/// try throttle.check(username: "ana", address: "10.0.0.7", now: WallClock.nowMillis())
/// throttle.failed(username: "ana", address: "10.0.0.7", now: WallClock.nowMillis())
/// ```
public final class LoginThrottle: Sendable {
    /// Failures allowed per user name within the window.
    public let userLimit: Int
    /// Failures allowed per address within the window.
    public let addressLimit: Int
    /// The window, in milliseconds.
    public let windowMillis: Int64
    private let failures = Mutex<[String: [Int64]]>([:])

    /// Creates a throttle (defaults: 10 failures per user, 30 per address, in 5 minutes).
    public init(userLimit: Int = 10, addressLimit: Int = 30, windowMillis: Int64 = 300_000) {
        self.userLimit = userLimit
        self.addressLimit = addressLimit
        self.windowMillis = windowMillis
    }

    /// Throws `REQUEST_LIMIT_EXCEEDED` (429) while the user or the address is over its limit.
    public func check(username: String, address: String, now: Int64) throws(MlflowError) {
        let (userWait, addressWait) = failures.withLock { map in
            (wait(&map, "u:" + username, userLimit, now), wait(&map, "a:" + address, addressLimit, now))
        }
        if let seconds = userWait ?? addressWait {
            throw MlflowError(
                .requestLimitExceeded,
                "Too many failed sign-ins for this user or address; try again in \(seconds) s.")
        }
    }

    /// Records a failed attempt.
    public func failed(username: String, address: String, now: Int64) {
        failures.withLock { map in
            if map.count > 50_000 { prune(&map, now) }
            map["u:" + username, default: []].append(now)
            map["a:" + address, default: []].append(now)
        }
    }

    /// Records a success: the user's failures are forgotten.
    public func succeeded(username: String) {
        _ = failures.withLock { $0.removeValue(forKey: "u:" + username) }
    }

    /// Seconds until `key` may try again, or nil when it is under its limit.
    private func wait(_ map: inout [String: [Int64]], _ key: String, _ limit: Int, _ now: Int64) -> Int64? {
        guard var times = map[key] else { return nil }
        times.removeAll { $0 <= now - windowMillis }
        map[key] = times.isEmpty ? nil : times
        guard times.count >= limit, let oldest = times.first else { return nil }
        return max(1, (oldest + windowMillis - now + 999) / 1000)
    }

    private func prune(_ map: inout [String: [Int64]], _ now: Int64) {
        map = map.compactMapValues { times in
            let kept = times.filter { $0 > now - windowMillis }
            return kept.isEmpty ? nil : kept
        }
    }
}
