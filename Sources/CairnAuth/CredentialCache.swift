import Crypto
import Synchronization

/// Remembers recently checked user-name/password pairs for a short time, so a client that sends Basic
/// credentials with every request does not pay for a key derivation each time.
///
/// Entries are keyed by the SHA-256 of the pair (the password itself is never kept) and live for
/// `ttlMillis`; changing or deleting a user forgets their entries on this server at once, and other
/// servers sharing the database within the lifetime.
final class CredentialCache: Sendable {
    struct Entry {
        var userId: Int64
        var username: String
        var isAdmin: Bool
        var expires: Int64
    }

    let ttlMillis: Int64
    let capacity: Int
    private let entries = Mutex<[SHA256Digest: Entry]>([:])

    init(ttlMillis: Int64 = 30_000, capacity: Int = 10_000) {
        self.ttlMillis = ttlMillis
        self.capacity = capacity
    }

    static func key(_ username: String, _ password: String) -> SHA256Digest {
        SHA256.hash(data: Array(username.utf8) + [0] + Array(password.utf8))
    }

    func lookup(_ key: SHA256Digest, now: Int64) -> Entry? {
        entries.withLock { map in
            guard let e = map[key] else { return nil }
            if e.expires <= now {
                map[key] = nil
                return nil
            }
            return e
        }
    }

    func store(_ key: SHA256Digest, _ entry: Entry) {
        entries.withLock { map in
            if map.count >= capacity { map = map.filter { $0.value.expires > entry.expires - ttlMillis } }
            if map.count >= capacity { map.removeAll() }
            map[key] = entry
        }
    }

    func forget(username: String) {
        entries.withLock { map in map = map.filter { $0.value.username != username } }
    }
}
