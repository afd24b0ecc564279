@testable import CairnInference

/// A model document written in the tests, encoded as JSON text or as UBJSON bytes (the two forms
/// XGBoost saves).
indirect enum TestDocument {
    case int(Int64)
    case float(Float)
    case string(String)
    case floats([Float])
    case ints([Int64])
    case array([TestDocument])
    case object([(String, TestDocument)])

    /// JSON text.
    var json: String {
        switch self {
        case .int(let v): "\(v)"
        case .float(let v): "\(v)"
        case .string(let s): "\"\(s)\""
        case .floats(let v): "[" + v.map { "\($0)" }.joined(separator: ",") + "]"
        case .ints(let v): "[" + v.map { "\($0)" }.joined(separator: ",") + "]"
        case .array(let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { "\"\($0.0)\":\($0.1.json)" }.joined(separator: ",") + "}"
        }
    }

    /// UBJSON bytes, with typed arrays for numbers as XGBoost writes them.
    var ubjson: [UInt8] {
        switch self {
        case .int(let v): return [UInt8(ascii: "L")] + Self.bigEndian(UInt64(bitPattern: v), 8)
        case .float(let v): return [UInt8(ascii: "d")] + Self.bigEndian(UInt64(v.bitPattern), 4)
        case .string(let s): return [UInt8(ascii: "S")] + Self.key(s)
        case .floats(let v):
            return Array("[$d#L".utf8) + Self.bigEndian(UInt64(v.count), 8)
                + v.flatMap { Self.bigEndian(UInt64($0.bitPattern), 4) }
        case .ints(let v):
            return Array("[$l#L".utf8) + Self.bigEndian(UInt64(v.count), 8)
                + v.flatMap { Self.bigEndian(UInt64(UInt32(bitPattern: Int32($0))), 4) }
        case .array(let items): return [UInt8(ascii: "[")] + items.flatMap(\.ubjson) + [UInt8(ascii: "]")]
        case .object(let members):
            return [UInt8(ascii: "{")] + members.flatMap { Self.key($0.0) + $0.1.ubjson } + [UInt8(ascii: "}")]
        }
    }

    private static func key(_ s: String) -> [UInt8] {
        [UInt8(ascii: "L")] + bigEndian(UInt64(s.utf8.count), 8) + Array(s.utf8)
    }

    private static func bigEndian(_ v: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64(width - 1 - $0))) }
    }
}

/// Hand-written XGBoost models (two features `x`, `y`); their expected outputs in the tests were
/// produced by loading the same documents with XGBoost 3.2.0.
enum XGBoostFixtures {
    /// A tree from its node arrays.
    static func tree(
        _ left: [Int64], _ right: [Int64], _ feature: [Int64], _ conditions: [Float], _ defaultLeft: [Int64],
        splitType: [Int64]? = nil, categories: (nodes: [Int64], values: [Int64])? = nil
    ) -> TestDocument {
        let n = left.count
        return .object([
            ("left_children", .ints(left)), ("right_children", .ints(right)), ("split_indices", .ints(feature)),
            ("split_conditions", .floats(conditions)), ("default_left", .ints(defaultLeft)),
            ("split_type", .ints(splitType ?? [Int64](repeating: 0, count: n))),
            ("categories", .ints(categories?.values ?? [])), ("categories_nodes", .ints(categories?.nodes ?? [])),
            ("categories_segments", .ints(categories == nil ? [] : [0])),
            ("categories_sizes", .ints(categories.map { [Int64($0.values.count)] } ?? [])),
            ("tree_param", .object([("num_nodes", .string("\(n)")), ("size_leaf_vector", .string("1"))])),
        ])
    }

    /// A model document.
    static func model(
        objective: String, trees: [TestDocument], treeInfo: [Int64], baseScore: String, numClass: Int = 0,
        names: [String] = ["x", "y"], bestIteration: String? = nil
    ) -> TestDocument {
        .object([
            (
                "learner",
                .object([
                    ("attributes", .object(bestIteration.map { [("best_iteration", .string($0))] } ?? [])),
                    ("feature_names", .array(names.map { .string($0) })),
                    (
                        "gradient_booster",
                        .object([
                            ("name", .string("gbtree")),
                            (
                                "model",
                                .object([
                                    ("trees", .array(trees)), ("tree_info", .ints(treeInfo)),
                                    (
                                        "gbtree_model_param",
                                        .object([("num_parallel_tree", .string("1"))])
                                    ),
                                ])
                            ),
                        ])
                    ),
                    (
                        "learner_model_param",
                        .object([
                            ("base_score", .string(baseScore)), ("num_class", .string("\(numClass)")),
                            ("num_feature", .string("2")), ("num_target", .string("1")),
                        ])
                    ),
                    ("objective", .object([("name", .string(objective))])),
                ])
            ),
            ("version", .ints([3, 2, 0])),
        ])
    }

    /// Tree 0: `x < 0.5` (missing left) → -0.4 else 0.6.
    static let first = tree([1, -1, -1], [2, -1, -1], [0, 0, 0], [0.5, -0.4, 0.6], [1, 0, 0])
    /// Tree 1: `y < -1.25` → (`x < 2` (missing left) → -0.7 else 0.05) else 0.3.
    static let second = tree(
        [1, 3, -1, -1, -1], [2, 4, -1, -1, -1], [1, 0, 0, 0, 0], [-1.25, 2.0, 0.3, -0.7, 0.05], [0, 1, 0, 0, 0])
    /// A one-leaf tree.
    static func leaf(_ value: Float) -> TestDocument { tree([-1], [-1], [0], [value], [0]) }

    /// The rows the expected outputs are for.
    static let rows: [(Double, Double)] = [(0, 0), (1, -2), (.nan, -2), (3, .nan), (.nan, .nan), (0.5, -1.25)]

    /// The rows as a table with columns `x`, `y`.
    static func table(_ rows: [(Double, Double)] = rows) throws -> Table {
        try Table(columns: [("x", .double(rows.map(\.0))), ("y", .double(rows.map(\.1)))])
    }
}
