import CairnCore

/// One line of the prediction log: one predicted row (or one failed request row) of one model.
///
/// Serialised as JSON Lines with the fields `ts` (RFC 3339 UTC, milliseconds), `request_id`,
/// `model`, `version`, `role` (`primary`, `shadow`, `canary`), `row`, `inputs` (column → value),
/// `outputs` (that row's prediction, null when the request failed), `latency_ms` and `status`.
public struct PredictionRecord: Sendable, Equatable {
    /// Which deployment slot answered.
    public enum Role: String, Sendable, CaseIterable {
        case primary, shadow, canary
    }

    public var timestampMillis: Int64
    public var requestId: String
    public var model: String
    public var version: String
    public var role: Role
    public var row: Int
    public var inputs: [(String, JSONValue)]
    public var output: JSONValue?
    public var latencyMillis: Double
    public var status: Int

    public init(
        timestampMillis: Int64, requestId: String, model: String, version: String, role: Role, row: Int,
        inputs: [(String, JSONValue)], output: JSONValue?, latencyMillis: Double, status: Int
    ) {
        self.timestampMillis = timestampMillis
        self.requestId = requestId
        self.model = model
        self.version = version
        self.role = role
        self.row = row
        self.inputs = inputs
        self.output = output
        self.latencyMillis = latencyMillis
        self.status = status
    }

    public static func == (a: PredictionRecord, b: PredictionRecord) -> Bool {
        a.timestampMillis == b.timestampMillis && a.requestId == b.requestId && a.model == b.model
            && a.version == b.version && a.role == b.role && a.row == b.row && a.output == b.output
            && a.latencyMillis == b.latencyMillis && a.status == b.status && a.inputs.map(\.0) == b.inputs.map(\.0)
            && a.inputs.map(\.1) == b.inputs.map(\.1)
    }

    /// Appends the record as one JSON line (with the trailing newline).
    public func write(_ w: inout JSONWriter) {
        w.object { w in
            w.field("ts", RFC3339.format(millis: timestampMillis))
            w.field("request_id", requestId)
            w.field("model", model)
            w.field("version", version)
            w.field("role", role.rawValue)
            w.field("row", Int64(row))
            w.key("inputs")
            w.object { w in
                for (k, v) in inputs {
                    w.key(k)
                    w.value(v)
                }
            }
            w.key("outputs")
            w.value(output ?? .null)
            w.field("latency_ms", (latencyMillis * 1000).rounded() / 1000)
            w.field("status", Int64(status))
        }
        w.endLine()
    }

    /// Reads a record back from a parsed line.
    public init?(json: JSONValue) {
        guard let ts = json["ts"]?.text, let millis = RFC3339.parse(ts), let requestId = json["request_id"]?.text,
            let model = json["model"]?.text, let version = json["version"]?.text,
            let role = json["role"]?.text.flatMap(Role.init(rawValue:)), let status = json["status"]?.int64
        else { return nil }
        self.timestampMillis = millis
        self.requestId = requestId
        self.model = model
        self.version = version
        self.role = role
        self.row = Int(json["row"]?.int64 ?? 0)
        let fields = json["inputs"]?.objectValue ?? [:]
        self.inputs = fields.keys.sorted().map { ($0, fields[$0]!) }
        let out = json["outputs"]
        self.output = out == .null ? nil : out
        self.latencyMillis = json["latency_ms"]?.double ?? 0
        self.status = Int(status)
    }
}

/// RFC 3339 timestamps in UTC with milliseconds (`2026-12-07T09:30:00.123Z`), by calendar arithmetic.
public enum RFC3339 {
    /// Formats milliseconds since the epoch.
    public static func format(millis: Int64) -> String {
        let days = floorDiv(millis, 86_400_000)
        let msOfDay = millis - days * 86_400_000
        let (y, m, d) = civil(days: days)
        let h = msOfDay / 3_600_000
        let mi = msOfDay / 60_000 % 60
        let s = msOfDay / 1000 % 60
        let ms = msOfDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }

    /// The UTC hour of a timestamp as `YYYY-MM-DDTHH` (the prediction log's file stem).
    public static func hourStem(millis: Int64) -> String {
        String(format(millis: millis).prefix(13))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b.last == 90 else {
            return nil
        }
        func num(_ r: Range<Int>) -> Int64? { Int64(String(decoding: b[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
            let mi = num(14..<16), let s = num(17..<19)
        else { return nil }
        var ms: Int64 = 0
        if b[19] == 46 {
            let frac = String(decoding: b[20..<(b.count - 1)], as: UTF8.self).prefix(3)
            ms = (Int64(frac) ?? 0) * Int64([1, 100, 10, 1][frac.count])
        }
        return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    // Days ↔ civil date (proleptic Gregorian), H. Hinnant's algorithms.
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func daysFromCivil(_ year: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
