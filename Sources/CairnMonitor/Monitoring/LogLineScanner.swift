#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads prediction-log lines straight into a ``ScannedPrediction``: only the fields the monitor uses,
/// inputs matched to the monitored features by their bytes, numbers parsed in place. Lines it does not
/// handle (labels, escaped keys, anything unusual) return `.other` and go through the full JSON parser.
struct LogLineScanner {
    enum Result {
        /// A prediction of the watched model and version, in the scratch record.
        case prediction
        /// A prediction of another model or version.
        case otherModel
        /// Not a plain prediction line: parse it the slow way.
        case other
    }

    let featureNames: [[UInt8]]
    let categorical: [Bool]
    let model: [UInt8]?
    let version: [UInt8]?
    private var buffer: [UInt8] = []

    init(features: [(name: String, numeric: Bool)], model: String?, version: String?) {
        featureNames = features.map { Array($0.name.utf8) }
        categorical = features.map { !$0.numeric }
        self.model = model.map { Array($0.utf8) }
        self.version = version.map { Array($0.utf8) }
    }

    /// Scans one line into `out`.
    mutating func scan(_ line: ArraySlice<UInt8>, into out: inout ScannedPrediction) -> Result {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: line)
        buffer.append(0)
        let names = featureNames
        let cats = categorical
        let model = model
        let version = version
        return buffer.withUnsafeBufferPointer { b in
            var c = Cursor(b: b, end: b.count - 1)
            out.reset(features: names.count)
            return c.prediction(&out, names: names, categorical: cats, model: model, version: version)
        }
    }
}

/// A position in a NUL-terminated line.
private struct Cursor {
    let b: UnsafeBufferPointer<UInt8>
    let end: Int
    var i = 0

    init(b: UnsafeBufferPointer<UInt8>, end: Int) {
        self.b = b
        self.end = end
    }

    mutating func ws() {
        while i < end, b[i] == 32 || b[i] == 9 || b[i] == 13 || b[i] == 10 { i += 1 }
    }

    mutating func eat(_ c: UInt8) -> Bool {
        ws()
        guard i < end, b[i] == c else { return false }
        i += 1
        return true
    }

    /// A string without escapes: the bytes between the quotes; nil for an escaped or broken string.
    mutating func plainString() -> Range<Int>? {
        ws()
        guard i < end, b[i] == 34 else { return nil }
        let start = i + 1
        var j = start
        while j < end, b[j] != 34 {
            if b[j] == 92 { return nil }
            j += 1
        }
        guard j < end else { return nil }
        i = j + 1
        return start..<j
    }

    func equals(_ r: Range<Int>, _ text: StaticString) -> Bool {
        guard r.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for k in 0..<r.count where b[r.lowerBound + k] != p[k] { return false }
        return true
    }

    func equals(_ r: Range<Int>, _ bytes: [UInt8]) -> Bool {
        guard r.count == bytes.count else { return false }
        for k in 0..<r.count where b[r.lowerBound + k] != bytes[k] { return false }
        return true
    }

    func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }

    /// A JSON number; nil if none starts here.
    mutating func number() -> Double? {
        ws()
        let start = i
        var j = i
        var negative = false
        if j < end, b[j] == 45 {
            negative = true
            j += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        while j < end, b[j] &- 48 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(b[j] &- 48) } else { scale += 1 }
            if mantissa > 0 || digits > 0 { digits += 1 }
            j += 1
        }
        guard j > start + (negative ? 1 : 0) else { return nil }
        if j < end, b[j] == 46 {
            j += 1
            let fractionStart = j
            while j + 8 <= end, digits <= 11, let eight = EightDigits.value(b, j) {
                digits = mantissa == 0 ? EightDigits.significant(eight) : digits + 8
                mantissa = mantissa &* 100_000_000 &+ eight
                scale -= 8
                j += 8
            }
            while j < end, b[j] &- 48 < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b[j] &- 48)
                    scale -= 1
                }
                if mantissa > 0 || digits > 0 { digits += 1 }
                j += 1
            }
            guard j > fractionStart else { return nil }
        }
        let slow = digits > 19
        if j < end, b[j] == 101 || b[j] == 69 {
            j += 1
            var expNegative = false
            if j < end, b[j] == 45 || b[j] == 43 {
                expNegative = b[j] == 45
                j += 1
            }
            var e = 0
            let expStart = j
            while j < end, b[j] &- 48 < 10 {
                if e < 10000 { e = e * 10 + Int(b[j] &- 48) }
                j += 1
            }
            guard j > expStart else { return nil }
            scale += expNegative ? -e : e
        }
        i = j
        if !slow, let v = DecimalDouble.value(mantissa, scale) { return negative ? -v : v }
        var endPointer: UnsafeMutablePointer<CChar>?
        let v = b.baseAddress!.advanced(by: start).withMemoryRebound(to: CChar.self, capacity: j - start + 1) {
            strtod($0, &endPointer)
        }
        return v
    }

    /// Skips any JSON value; false when the line is broken.
    mutating func skipValue(depth: Int = 0) -> Bool {
        ws()
        guard i < end, depth < 64 else { return false }
        switch b[i] {
        case 34:
            i += 1
            while i < end, b[i] != 34 { i += b[i] == 92 ? 2 : 1 }
            guard i < end else { return false }
            i += 1
            return true
        case 123, 91:
            let close: UInt8 = b[i] == 123 ? 125 : 93
            i += 1
            if eat(close) { return true }
            repeat {
                if close == 125 {
                    guard skipValue(depth: depth + 1), eat(58) else { return false }
                }
                guard skipValue(depth: depth + 1) else { return false }
            } while eat(44)
            return eat(close)
        default:
            let start = i
            while i < end, b[i] != 44, b[i] != 125, b[i] != 93, b[i] != 32 { i += 1 }
            return i > start
        }
    }

    mutating func literal(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard i + n <= end else { return false }
        let p = text.utf8Start
        for k in 0..<n where b[i + k] != p[k] { return false }
        i += n
        return true
    }

    mutating func prediction(
        _ out: inout ScannedPrediction, names: [[UInt8]], categorical: [Bool], model: [UInt8]?, version: [UInt8]?
    ) -> LogLineScanner.Result {
        guard eat(123) else { return .other }
        var matches = true
        var sawTime = false
        var sawRequest = false
        if eat(125) { return .other }
        repeat {
            guard let key = plainString(), eat(58) else { return .other }
            if equals(key, "inputs") {
                guard inputs(&out, names: names, categorical: categorical) else { return .other }
            } else if equals(key, "ts") {
                guard let r = plainString(), let ms = RFC3339Bytes.parse(b, r) else { return .other }
                out.timestampMillis = ms
                sawTime = true
            } else if equals(key, "request_id") {
                guard let r = plainString() else { return .other }
                if !equals(r, out.requestIdBytes) {
                    out.requestId = text(r)
                    out.requestIdBytes = Array(b[r])
                }
                sawRequest = true
            } else if equals(key, "model") || equals(key, "version") {
                let wanted = equals(key, "model") ? model : version
                guard let r = plainString() else { return .other }
                if let wanted, !equals(r, wanted) { matches = false }
            } else if equals(key, "row") {
                guard let v = number(), v >= 0, v < 1e9 else { return .other }
                out.row = Int(v)
            } else if equals(key, "status") {
                guard let v = number(), v >= 0, v < 1000 else { return .other }
                out.status = Int(v)
            } else if equals(key, "latency_ms") {
                guard let v = number() else { return .other }
                out.latencyMillis = v
            } else if equals(key, "outputs") {
                guard outputs(&out) else { return .other }
            } else if equals(key, "kind") {
                return .other
            } else {
                guard skipValue() else { return .other }
            }
        } while eat(44)
        guard eat(125), sawTime, sawRequest else { return .other }
        return matches ? .prediction : .otherModel
    }

    mutating func inputs(_ out: inout ScannedPrediction, names: [[UInt8]], categorical: [Bool]) -> Bool {
        guard eat(123) else { return false }
        if eat(125) { return true }
        var guess = 0
        repeat {
            guard let key = plainString(), eat(58) else { return false }
            var slot = -1
            if guess < names.count, equals(key, names[guess]) {
                slot = guess
            } else {
                for (k, name) in names.enumerated() where equals(key, name) {
                    slot = k
                    break
                }
            }
            guard slot >= 0 else {
                guard skipValue() else { return false }
                continue
            }
            guess = slot + 1
            ws()
            guard i < end else { return false }
            let c = b[i]
            if c == 34 {
                guard let r = plainString() else { return false }
                if categorical[slot] {
                    out.texts[slot] = text(r)
                } else {
                    out.numbers[slot] = Double(text(r)) ?? .nan
                }
            } else if c == 110 {
                guard literal("null") else { return false }
            } else if c == 116 || c == 102 {
                let value = c == 116
                guard literal(value ? "true" : "false") else { return false }
                if categorical[slot] {
                    out.texts[slot] = value ? "true" : "false"
                } else {
                    out.numbers[slot] = value ? 1 : 0
                }
            } else if c == 123 || c == 91 {
                guard skipValue() else { return false }
            } else {
                let start = i
                guard let v = number() else { return false }
                if categorical[slot] {
                    out.texts[slot] = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : text(start..<i)
                } else {
                    out.numbers[slot] = v
                }
            }
        } while eat(44)
        return eat(125)
    }

    mutating func outputs(_ out: inout ScannedPrediction) -> Bool {
        ws()
        guard i < end else { return false }
        let c = b[i]
        if c == 34 {
            guard let r = plainString() else { return false }
            out.output = .text(text(r))
        } else if c == 110 {
            guard literal("null") else { return false }
            out.output = nil
        } else if c == 116 || c == 102 {
            guard literal(c == 116 ? "true" : "false") else { return false }
            out.output = .text(c == 116 ? "true" : "false")
        } else if c == 91 {
            // A one-element list is that element; longer lists are not compared.
            let start = i
            i += 1
            if let v = number(), eat(93) {
                out.output = .number(v)
                return true
            }
            i = start
            out.output = nil
            return skipValue()
        } else if c == 123 {
            out.output = nil
            return skipValue()
        } else {
            guard let v = number() else { return false }
            out.output = .number(v)
        }
        return true
    }
}
