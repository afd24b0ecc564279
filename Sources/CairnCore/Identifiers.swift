/// Generates identifiers in the formats MLflow clients expect.
public enum Identifiers {
    /// 32 lowercase hex characters from 128 random bits (the shape of `uuid4().hex`).
    public static func hex32() -> String {
        var rng = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(32)
        for _ in 0..<2 {
            var word = rng.next() as UInt64
            for _ in 0..<16 {
                out.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A run id.
    public static func runId() -> String { hex32() }

    /// A logged model id: `m-` followed by 32 hex characters.
    public static func loggedModelId() -> String { "m-" + hex32() }
}

/// Generates friendly names such as `brisk-heron-417` for runs and models created without one.
public enum NameGenerator {
    static let adjectives = [
        "amber", "bold", "brave", "bright", "brisk", "calm", "clever", "crisp", "dapper", "eager",
        "fancy", "fleet", "gentle", "glad", "grand", "happy", "hardy", "jolly", "keen", "kind",
        "lively", "lucid", "merry", "mellow", "nimble", "noble", "placid", "plucky", "polite", "proud",
        "quick", "quiet", "rapid", "regal", "rustic", "serene", "sharp", "shiny", "sleek", "smooth",
        "snappy", "solid", "spry", "stoic", "sunny", "swift", "tidy", "vivid", "warm", "witty",
    ]
    static let nouns = [
        "otter", "heron", "lynx", "marten", "finch", "badger", "beaver", "bison", "crane", "dingo",
        "eagle", "ferret", "gecko", "hare", "ibis", "jackal", "koala", "lark", "mole", "newt",
        "ocelot", "panda", "quail", "raven", "seal", "stoat", "tapir", "toad", "vole", "walrus",
        "wren", "yak", "zebra", "cairn", "fjord", "glade", "grove", "mesa", "ridge", "tarn",
        "brook", "cove", "delta", "dune", "knoll", "ledge", "moor", "peak", "reef", "vale",
    ]

    /// A random `adjective-noun-N` name of at most 20 characters.
    public static func randomName() -> String {
        var rng = SystemRandomNumberGenerator()
        let name =
            "\(adjectives.randomElement(using: &rng)!)-\(nouns.randomElement(using: &rng)!)-\(Int.random(in: 0...999, using: &rng))"
        return name
    }
}
