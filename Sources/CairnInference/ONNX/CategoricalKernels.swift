/// `ai.onnx.ml.OneHotEncoder`: one float indicator column per category, appended as a new last axis.
struct OneHotEncoderKernel: ONNXKernel {
    let stringIndex: [String: Int]
    let intIndex: [Int64: Int]
    let categoryCount: Int
    let zerosForUnknown: Bool

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        let strings = c.strings("cats_strings")
        let ints = c.ints("cats_int64s")
        guard strings.isEmpty != ints.isEmpty else {
            throw c.unsupported("needs exactly one of cats_strings, cats_int64s")
        }
        var s: [String: Int] = [:]
        for (i, v) in strings.enumerated() where s[v] == nil { s[v] = i }
        var n: [Int64: Int] = [:]
        for (i, v) in ints.enumerated() where n[v] == nil { n[v] = i }
        stringIndex = s
        intIndex = n
        categoryCount = max(strings.count, ints.count)
        zerosForUnknown = c.int("zeros", 1) != 0
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "OneHotEncoder")
        var out = [Float](repeating: 0, count: x.elementCount * categoryCount)
        func mark(_ position: Int, _ index: Int?, _ shown: String) throws(InferenceError) {
            if let index {
                out[position * categoryCount + index] = 1
            } else if !zerosForUnknown {
                throw .badInput("OneHotEncoder: unknown category '\(shown)'")
            }
        }
        if case .string(let v) = x.values {
            for (i, s) in v.enumerated() { try mark(i, stringIndex[s], s) }
        } else {
            for (i, n) in try x.values.int64s("OneHotEncoder").enumerated() { try mark(i, intIndex[n], "\(n)") }
        }
        return [.tensor(Tensor(shape: x.shape + [categoryCount], values: .float(out)))]
    }
}

/// `ai.onnx.ml.LabelEncoder`: maps strings, integers or floats to strings, integers or floats
/// through a key/value table (opset 1: `classes_strings` mapped to and from their positions).
struct LabelEncoderKernel: ONNXKernel {
    let stringKeys: [String: Int]
    let intKeys: [Int64: Int]
    let floatKeys: [Float: Int]
    let values: Tensor.Values
    let fallback: Tensor.Values
    /// Opset 1: the class names integers map back to, and the string for unknown integers.
    let classes: [String]
    let defaultString: String

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        var keyStrings = c.strings("keys_strings")
        var keyInts = c.ints("keys_int64s")
        let keyFloats = c.floats("keys_floats")
        var valueStrings = c.strings("values_strings")
        var valueInts = c.ints("values_int64s")
        let valueFloats = c.floats("values_floats")
        let classes = c.strings("classes_strings")
        self.classes = classes
        defaultString = c.string("default_string", "_Unused")
        if !classes.isEmpty {
            // Opset 1: strings map to their index, integers to the string at that index.
            keyStrings = classes
            valueInts = classes.indices.map { Int64($0) }
            keyInts = []
            valueStrings = []
        }
        var s: [String: Int] = [:]
        for (i, k) in keyStrings.enumerated() where s[k] == nil { s[k] = i }
        var n: [Int64: Int] = [:]
        for (i, k) in keyInts.enumerated() where n[k] == nil { n[k] = i }
        var f: [Float: Int] = [:]
        for (i, k) in keyFloats.enumerated() where f[k] == nil { f[k] = i }
        (stringKeys, intKeys, floatKeys) = (s, n, f)
        let keyCount = keyStrings.count + keyInts.count + keyFloats.count
        if !valueStrings.isEmpty {
            values = .string(valueStrings)
            fallback = .string([c.string("default_string", "_Unused")])
        } else if !valueInts.isEmpty {
            values = .int64(valueInts)
            fallback = .int64([c.int("default_int64", -1)])
        } else {
            values = .float(valueFloats)
            fallback = .float([c.float("default_float", -0.0)])
        }
        guard keyCount > 0, keyCount == values.count || !classes.isEmpty else {
            throw c.unsupported("\(keyCount) keys for \(values.count) values")
        }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "LabelEncoder")
        if !classes.isEmpty, case .int64(let v) = x.values {
            let names = v.map { $0 >= 0 && $0 < classes.count ? classes[Int($0)] : defaultString }
            return [.tensor(Tensor(shape: x.shape, values: .string(names)))]
        }
        let positions: [Int]
        switch x.values {
        case .string(let v): positions = v.map { stringKeys[$0] ?? -1 }
        case .int64(let v): positions = v.map { intKeys[$0] ?? -1 }
        default: positions = try x.values.floats("LabelEncoder").map { floatKeys[$0] ?? -1 }
        }
        let table = Tensor.Values.concatenated([values, fallback]) ?? values
        let last = values.count
        return [.tensor(Tensor(shape: x.shape, values: table.gathered(positions.map { $0 < 0 ? last : $0 })))]
    }
}
