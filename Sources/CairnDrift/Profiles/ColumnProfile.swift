/// A mergeable summary of one column: counts, extremes, moments, a KLL sketch for numbers and frequent
/// items for categories. `merge(profile(A), profile(B))` summarises A ∪ B: counts, min/max and moments
/// exactly (Chan, Golub & LeVeque's pairwise update), the sketches within their error bounds.
public struct ColumnProfile: Sendable, Codable, Equatable {
    /// KLL accuracy used for profiles: k = 1024 keeps the rank error near 0.5% so that binned distances
    /// such as PSI computed from a profile stay close to the exact ones.
    public static let defaultK = 1024

    /// Column type.
    public var type: ColumnType
    /// Non-missing values.
    public private(set) var count: Int = 0
    /// Missing values (NaN, ±∞ or empty for numbers, empty for categories).
    public private(set) var missing: Int = 0
    /// Smallest value (numeric columns).
    public private(set) var min: Double?
    /// Largest value (numeric columns).
    public private(set) var max: Double?
    /// Mean (numeric columns).
    public private(set) var mean: Double = 0
    /// Sum of squared deviations from the mean (numeric columns).
    public private(set) var m2: Double = 0
    /// Quantile sketch (numeric columns).
    public private(set) var sketch: KLLSketch?
    /// Frequent items (categorical columns).
    public private(set) var items: FrequentItems?

    /// Creates an empty profile.
    public init(type: ColumnType, k: Int = ColumnProfile.defaultK, itemCapacity: Int = 1000) {
        self.type = type
        switch type {
        case .numeric: sketch = KLLSketch(k: k)
        case .categorical: items = FrequentItems(capacity: itemCapacity)
        }
    }

    /// Profiles a numeric column.
    public init(numeric values: [Double], k: Int = ColumnProfile.defaultK) {
        self.init(type: .numeric, k: k)
        for v in values { add(v) }
    }

    /// Profiles a categorical column.
    public init(categorical values: [String], itemCapacity: Int = 1000) {
        self.init(type: .categorical, itemCapacity: itemCapacity)
        for v in values { add(v) }
    }

    /// Population variance (ddof = 0).
    public var variance: Double { count > 0 ? m2 / Double(count) : .nan }

    /// Adds a number; non-finite values count as missing.
    public mutating func add(_ x: Double) {
        guard x.isFinite else {
            missing += 1
            return
        }
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        min = Swift.min(min ?? x, x)
        max = Swift.max(max ?? x, x)
        sketch?.insert(x)
    }

    /// Adds a category; the empty string counts as missing.
    public mutating func add(_ label: String) {
        guard !label.isEmpty else {
            missing += 1
            return
        }
        count += 1
        items?.insert(label)
    }

    /// Records a missing value.
    public mutating func addMissing() { missing += 1 }

    /// Merges another profile of the same column.
    public mutating func merge(_ other: ColumnProfile) throws {
        guard type == other.type else { throw DriftError.invalidParameter("cannot merge profiles of different types") }
        if let a = sketch, let b = other.sketch, a.k != b.k {
            throw DriftError.invalidParameter("cannot merge KLL sketches with different k (\(a.k) and \(b.k))")
        }
        let n1 = Double(count)
        let n2 = Double(other.count)
        if count + other.count > 0 {
            let delta = other.mean - mean
            let n = n1 + n2
            mean += delta * n2 / n
            m2 += other.m2 + delta * delta * n1 * n2 / n
        }
        count += other.count
        missing += other.missing
        if let m = other.min { min = Swift.min(min ?? m, m) }
        if let m = other.max { max = Swift.max(max ?? m, m) }
        if let b = other.sketch { sketch?.merge(b) }
        if let b = other.items { items?.merge(b) }
    }
}

/// Profiles of every column of a dataset, keyed by column name.
public struct DatasetProfile: Sendable, Codable, Equatable {
    /// Format version of the serialised profile.
    public var version = 1
    /// Rows profiled.
    public var rows: Int
    /// Column profiles by name.
    public var columns: [String: ColumnProfile]
    /// Column order of the source.
    public var columnOrder: [String]

    /// Creates a profile from column profiles.
    public init(rows: Int, columns: [String: ColumnProfile], columnOrder: [String]) {
        self.rows = rows
        self.columns = columns
        self.columnOrder = columnOrder
    }

    /// Profiles typed columns.
    public init(columns data: [(name: String, data: ColumnData)], k: Int = ColumnProfile.defaultK) {
        var out: [String: ColumnProfile] = [:]
        var rows = 0
        for (name, d) in data {
            switch d {
            case .numeric(let v):
                out[name] = ColumnProfile(numeric: v, k: k)
                rows = Swift.max(rows, v.count)
            case .categorical(let v):
                out[name] = ColumnProfile(categorical: v)
                rows = Swift.max(rows, v.count)
            }
        }
        self.init(rows: rows, columns: out, columnOrder: data.map(\.name))
    }

    /// Merges a profile of more rows of the same dataset.
    public mutating func merge(_ other: DatasetProfile) throws {
        guard Set(columns.keys) == Set(other.columns.keys) else {
            throw DriftError.invalidParameter("cannot merge profiles with different columns")
        }
        for (name, p) in other.columns { try columns[name]!.merge(p) }
        rows += other.rows
    }
}
