import Foundation

/// A deterministic pseudo-random generator (SplitMix64), so seeded sweeps draw the same trials.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

/// One dimension of a random search space, parsed from `k=uniform:a:b`, `loguniform:a:b`,
/// `int:a:b` or `choice:x,y,z`.
public enum SearchDimension: Sendable, Equatable {
    case uniform(Double, Double)
    case logUniform(Double, Double)
    case integer(Int64, Int64)
    case choice([String])

    /// Parses the part after `k=`.
    public init(parsing text: String) throws(MlflowError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw .invalid("Invalid space '\(text)': expected uniform:a:b, loguniform:a:b, int:a:b or choice:x,y.")
        }
        let bounds = parts[1].split(separator: ":").map(String.init)
        func pair<T: LosslessStringConvertible>(_: T.Type) throws(MlflowError) -> (T, T) {
            guard bounds.count == 2, let a = T(bounds[0]), let b = T(bounds[1]) else {
                throw .invalid("Invalid space '\(text)': expected two numeric bounds like \(parts[0]):0.1:1.")
            }
            return (a, b)
        }
        switch parts[0] {
        case "uniform":
            let (a, b) = try pair(Double.self)
            guard a < b else { throw .invalid("Invalid space '\(text)': the lower bound must be below the upper.") }
            self = .uniform(a, b)
        case "loguniform":
            let (a, b) = try pair(Double.self)
            guard a > 0, a < b else { throw .invalid("Invalid space '\(text)': loguniform needs 0 < a < b.") }
            self = .logUniform(a, b)
        case "int":
            let (a, b) = try pair(Int64.self)
            guard a <= b else { throw .invalid("Invalid space '\(text)': the lower bound must not exceed the upper.") }
            self = .integer(a, b)
        case "choice":
            let options = parts[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !options.isEmpty, !options.contains(where: \.isEmpty) else {
                throw .invalid("Invalid space '\(text)': choice needs comma-separated, non-empty options.")
            }
            self = .choice(options)
        default:
            throw .invalid("Invalid space kind '\(parts[0])': use uniform, loguniform, int or choice.")
        }
    }

    /// Draws one value, formatted as a parameter string.
    public func sample(_ g: inout SeededGenerator) -> String {
        switch self {
        case .uniform(let a, let b): return Self.format(a + (b - a) * g.unit())
        case .logUniform(let a, let b):
            let (la, lb) = (Self.log(a), Self.log(b))
            return Self.format(Self.exp(la + (lb - la) * g.unit()))
        case .integer(let a, let b):
            let span = UInt64(bitPattern: b &- a) &+ 1
            let offset = span == 0 ? g.next() : g.next() % span
            return String(a &+ Int64(bitPattern: offset))
        case .choice(let options):
            return options[Int(g.next() % UInt64(options.count))]
        }
    }

    /// Formats with 6 significant digits so parameter strings stay short and stable.
    static func format(_ d: Double) -> String {
        var s = String(d)
        if s.count > 12 {
            let scale = Self.pow10(5 - Int(Self.log10(abs(d)).rounded(.down)))
            s = String((d * scale).rounded() / scale)
        }
        return s
    }

    static func log(_ x: Double) -> Double { Foundation.log(x) }

    static func exp(_ x: Double) -> Double { Foundation.exp(x) }

    static func log10(_ x: Double) -> Double { Foundation.log10(x) }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(n) { r *= 10 }
        return n >= 0 ? r : 1 / r
    }
}

/// The trials of a sweep: a Cartesian grid or seeded random draws.
public enum SweepPlan {
    /// Parses `k=v1,v2,...` into a key and its values.
    public static func gridAxis(_ text: String) throws(MlflowError) -> (key: String, values: [String]) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw .invalid("Invalid --grid '\(text)': expected key=v1,v2,...")
        }
        let key = String(text[..<eq])
        let values = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false)
            .map(String.init)
        guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
            throw .invalid("Invalid --grid '\(text)': values must be non-empty and comma-separated.")
        }
        return (key, values)
    }

    /// Every combination of the axes, the first axis varying slowest.
    public static func grid(_ axes: [(key: String, values: [String])]) -> [[KeyValue]] {
        var trials: [[KeyValue]] = [[]]
        for axis in axes {
            trials = trials.flatMap { prefix in axis.values.map { prefix + [KeyValue(axis.key, $0)] } }
        }
        return axes.isEmpty ? [] : trials
    }

    /// `count` seeded random draws from the space (dimensions in the given order).
    public static func random(_ space: [(key: String, dimension: SearchDimension)], count: Int, seed: UInt64)
        -> [[KeyValue]]
    {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in space.map { KeyValue($0.key, $0.dimension.sample(&g)) } }
    }

    /// The `{key}` placeholders in `arguments` that none of `keys` fills, in order of first use.
    ///
    /// A placeholder is `{` + a name made of letters, digits, `_`, `-` and `.` + `}`, so braces in
    /// code such as `{}` or `{"a": 1}` are left alone.
    public static func unfilledPlaceholders(in arguments: [String], keys: Set<String>) -> [String] {
        var missing: [String] = []
        for arg in arguments {
            var rest = Substring(arg)
            while let open = rest.firstIndex(of: "{") {
                let after = rest[rest.index(after: open)...]
                guard let close = after.firstIndex(where: { !($0.isLetter || $0.isNumber || "_-.".contains($0)) }),
                    after[close] == "}", close > after.startIndex
                else {
                    rest = after
                    continue
                }
                let name = String(after[..<close])
                if !keys.contains(name), !missing.contains(name) { missing.append(name) }
                rest = after[after.index(after: close)...]
            }
        }
        return missing
    }

    /// Replaces `{key}` placeholders in each argument with parameter values.
    public static func fill(_ arguments: [String], with params: [KeyValue]) -> [String] {
        arguments.map { arg in
            var out = arg
            for p in params { out = out.replacingAll("{\(p.key)}", with: p.value) }
            return out
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        let t = Array(target)
        var i = startIndex
        while i < endIndex {
            var j = i
            var k = 0
            while k < t.count, j < endIndex, self[j] == t[k] {
                j = index(after: j)
                k += 1
            }
            if k == t.count { return i..<j }
            i = index(after: i)
        }
        return nil
    }
}
