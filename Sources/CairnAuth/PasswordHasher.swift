import CairnCore
import Crypto
import CryptoExtras
import Foundation

/// Hashes and checks passwords with scrypt, a memory-hard key-derivation function.
///
/// Hashes are stored as `scrypt$N$r$p$SALT$HASH` (salt and hash in base64), so the work factor can be
/// raised later without invalidating existing hashes. The default (N = 2^15, r = 8, p = 1) takes
/// 32 MiB and tens of milliseconds per check (Percival, "Stronger key derivation via sequential
/// memory-hard functions", 2009; RFC 7914).
///
/// ```swift
/// let stored = try PasswordHasher.standard.hash("correct horse battery staple")
/// try PasswordHasher.standard.verify("correct horse battery staple", against: stored)  // true
/// ```
public struct PasswordHasher: Sendable {
    /// log2 of the CPU/memory cost N.
    public var logN: Int
    /// The block size r.
    public var blockSize: Int
    /// The parallelism p.
    public var parallelism: Int

    /// The parameters new passwords are hashed with.
    public static let standard = PasswordHasher(logN: 15, blockSize: 8, parallelism: 1)

    /// Creates a hasher; parameters are checked when hashing.
    public init(logN: Int, blockSize: Int, parallelism: Int) {
        self.logN = logN
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    static let outputBytes = 32

    /// Hashes a password with a fresh random salt.
    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = rng.next() }
        let key = try derive(password, salt: salt, n: 1 << logN, r: blockSize, p: parallelism)
        return "scrypt$\(1 << logN)$\(blockSize)$\(parallelism)$\(Data(salt).base64EncodedString())$"
            + Data(key).base64EncodedString()
    }

    /// Whether `password` matches a stored hash; malformed hashes and unreasonable parameters never match.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt", let n = Int(parts[1]), let r = Int(parts[2]),
            let p = Int(parts[3]), n > 1, n <= 1 << 20, n & (n - 1) == 0, (1...32).contains(r), (1...16).contains(p),
            let salt = Data(base64Encoded: String(parts[4])), let expected = Data(base64Encoded: String(parts[5])),
            expected.count == Self.outputBytes,
            let key = try? derive(password, salt: Array(salt), n: n, r: r, p: p)
        else { return false }
        return ConstantTime.equal(key, Array(expected))
    }

    /// Burns the same work as a check, so a sign-in for an unknown user takes as long as a wrong password.
    public func verifyNothing(_ password: String) {
        _ = try? derive(password, salt: Array(repeating: 0, count: 16), n: 1 << logN, r: blockSize, p: parallelism)
    }

    func derive(_ password: String, salt: [UInt8], n: Int, r: Int, p: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: Self.outputBytes, rounds: n, blockSize: r,
            parallelism: p, maxMemory: 130 * n * r * p + (1 << 20))
        return key.withUnsafeBytes { Array($0) }
    }
}
