/// NumPy-style broadcasting of two shapes and an elementwise combination over it.
enum Broadcast {
    /// The broadcast shape of `a` and `b`, or a clear error when they are incompatible.
    static func shape(_ a: [Int], _ b: [Int], _ op: String) throws(InferenceError) -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                throw .badInput("\(op): shapes \(a) and \(b) cannot be broadcast")
            }
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// `f` applied elementwise over the broadcast of `a` (shape `sa`) and `b` (shape `sb`).
    static func apply<T>(
        _ a: [T], _ sa: [Int], _ b: [T], _ sb: [Int], _ op: String, _ f: (T, T) -> T
    ) throws(InferenceError) -> ([T], [Int]) {
        let out = try shape(sa, sb, op)
        let count = out.reduce(1, *)
        if sa == sb { return (zip(a, b).map(f), out) }
        if b.count == 1 {
            let s = b[0]
            return (a.map { f($0, s) }, out)
        }
        if a.count == 1 {
            let s = a[0]
            return (b.map { f(s, $0) }, out)
        }
        if a.count == count, count % b.count == 0, isTrailing(sb, of: out) {
            let n = b.count
            var result = [T]()
            result.reserveCapacity(count)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    var i = 0
                    while i < count {
                        for j in 0..<n { result.append(f(pa[i + j], pb[j])) }
                        i += n
                    }
                }
            }
            return (result, out)
        }
        let stridesA = strides(sa, in: out)
        let stridesB = strides(sb, in: out)
        var result = [T]()
        result.reserveCapacity(count)
        var index = [Int](repeating: 0, count: out.count)
        var ia = 0
        var ib = 0
        for _ in 0..<count {
            result.append(f(a[ia], b[ib]))
            var d = out.count - 1
            while d >= 0 {
                index[d] += 1
                ia += stridesA[d]
                ib += stridesB[d]
                if index[d] < out[d] { break }
                ia -= stridesA[d] * out[d]
                ib -= stridesB[d] * out[d]
                index[d] = 0
                d -= 1
            }
        }
        return (result, out)
    }

    /// True when `shape` (without leading ones) equals the trailing dimensions of `out`.
    private static func isTrailing(_ shape: [Int], of out: [Int]) -> Bool {
        let trimmed = Array(shape.drop { $0 == 1 })
        return trimmed.count <= out.count && Array(out.suffix(trimmed.count)) == trimmed
    }

    /// Element strides of `shape` aligned to the broadcast shape `out` (0 on broadcast dimensions).
    private static func strides(_ shape: [Int], in out: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: out.count)
        var step = 1
        for i in shape.indices.reversed() {
            let o = i + out.count - shape.count
            result[o] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return result
    }
}
