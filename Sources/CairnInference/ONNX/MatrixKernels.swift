/// Dense matrix products for `Gemm` and `MatMul`: row-major, i-k-j loop order so the inner loop
/// streams contiguous rows of B and the output (vectorised by the compiler).
enum MatrixMath {
    /// `out[m×n] = a[m×k] · b[k×n]` (overwrites `out`).
    static func multiply<T: BinaryFloatingPoint>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, _ out: UnsafeMutableBufferPointer<T>,
        m: Int, k: Int, n: Int
    ) {
        guard let pa = a.baseAddress, let pb = b.baseAddress, let po = out.baseAddress else { return }
        for i in 0..<m {
            let row = po + i * n
            row.update(repeating: 0, count: n)
            let rowA = pa + i * k
            for p in 0..<k {
                let s = rowA[p]
                let bp = pb + p * n
                for j in 0..<n { row[j] += s * bp[j] }
            }
        }
    }

    /// `out[m×n] = a[m×k] · b[k×n]` for float32 in register tiles of 4 rows × 8 columns
    /// (`SIMD8<Float>` accumulators), each output summed over k in order; edges fall back to the
    /// plain loop.
    static func multiply(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ out: UnsafeMutableBufferPointer<Float>,
        m: Int, k: Int, n: Int
    ) {
        guard let pa = a.baseAddress, let pb = b.baseAddress, let po = out.baseAddress else { return }
        let rb = UnsafeRawPointer(pb)
        let wide = n - n % 8
        var i = 0
        while i + 4 <= m {
            let a0 = pa + i * k
            let a1 = a0 + k
            let a2 = a1 + k
            let a3 = a2 + k
            var j = 0
            while j < wide {
                var c0 = SIMD8<Float>()
                var c1 = SIMD8<Float>()
                var c2 = SIMD8<Float>()
                var c3 = SIMD8<Float>()
                for p in 0..<k {
                    let bv = rb.loadUnaligned(fromByteOffset: (p * n + j) * 4, as: SIMD8<Float>.self)
                    c0 += a0[p] * bv
                    c1 += a1[p] * bv
                    c2 += a2[p] * bv
                    c3 += a3[p] * bv
                }
                let o = UnsafeMutableRawPointer(po + i * n + j)
                o.storeBytes(of: c0, as: SIMD8<Float>.self)
                o.storeBytes(of: c1, toByteOffset: n * 4, as: SIMD8<Float>.self)
                o.storeBytes(of: c2, toByteOffset: 2 * n * 4, as: SIMD8<Float>.self)
                o.storeBytes(of: c3, toByteOffset: 3 * n * 4, as: SIMD8<Float>.self)
                j += 8
            }
            if wide < n { edge(pa, pb, po, rows: i..<(i + 4), columns: wide..<n, k: k, n: n) }
            i += 4
        }
        while i < m {
            let a0 = pa + i * k
            var j = 0
            while j < wide {
                var c0 = SIMD8<Float>()
                for p in 0..<k {
                    c0 += a0[p] * rb.loadUnaligned(fromByteOffset: (p * n + j) * 4, as: SIMD8<Float>.self)
                }
                UnsafeMutableRawPointer(po + i * n + j).storeBytes(of: c0, as: SIMD8<Float>.self)
                j += 8
            }
            if wide < n { edge(pa, pb, po, rows: i..<(i + 1), columns: wide..<n, k: k, n: n) }
            i += 1
        }
    }

    /// The plain loop for the rows and columns outside full tiles.
    private static func edge(
        _ pa: UnsafePointer<Float>, _ pb: UnsafePointer<Float>, _ po: UnsafeMutablePointer<Float>,
        rows: Range<Int>, columns: Range<Int>, k: Int, n: Int
    ) {
        for i in rows {
            for j in columns {
                var s: Float = 0
                for p in 0..<k { s += pa[i * k + p] * pb[p * n + j] }
                po[i * n + j] = s
            }
        }
    }

    /// `a` (rows × columns, row-major) transposed.
    static func transpose<T>(_ a: [T], rows: Int, columns: Int) -> [T] {
        guard let first = a.first else { return [] }
        var out = [T](repeating: first, count: a.count)
        for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = a[r * columns + c] } }
        return out
    }

    /// `a · b` for float32 matrices, through the tiled kernel.
    static func product(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in multiply(pa, pb, po, m: m, k: k, n: n) }
            }
        }
        return out
    }

    /// `a · b` for float or double tensors with `a` read as `m × k` and `b` as `k × n`.
    static func product<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], m: Int, k: Int, n: Int) -> [T] {
        var out = [T](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in multiply(pa, pb, po, m: m, k: k, n: n) }
            }
        }
        return out
    }
}

/// `Gemm`: `alpha · A' · B' + beta · C` with optional transposes and a broadcast C.
struct GemmKernel: ONNXKernel {
    let alpha: Float
    let beta: Float
    let transA: Bool
    let transB: Bool
    /// B already transposed to k × n when it is a constant float matrix.
    let constantB: (values: [Float], k: Int, n: Int)?
    let isRowWise: Bool

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        try c.expectInputs(2...3)
        alpha = c.float("alpha", 1)
        beta = c.float("beta", 1)
        transA = c.int("transA", 0) != 0
        transB = c.int("transB", 0) != 0
        if let b = c.constants[1], case .float(let v) = b.values, b.shape.count == 2 {
            let (rows, cols) = (b.shape[0], b.shape[1])
            constantB = transB ? (MatrixMath.transpose(v, rows: rows, columns: cols), cols, rows) : (v, rows, cols)
        } else {
            constantB = nil
        }
        isRowWise = !transA && c.constants[1] != nil && (c.node.inputs.count < 3 || c.constants[2] != nil)
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let a = try KernelInput.tensor(inputs, 0, "Gemm")
        guard a.shape.count == 2 else { throw .badInput("Gemm: A must be 2-D, got shape \(a.shape)") }
        var av = try a.values.floats("Gemm")
        var (m, k) = (a.shape[0], a.shape[1])
        if transA {
            av = MatrixMath.transpose(av, rows: m, columns: k)
            swap(&m, &k)
        }
        let b: (values: [Float], k: Int, n: Int)
        if let constantB {
            b = constantB
        } else {
            let bt = try KernelInput.tensor(inputs, 1, "Gemm")
            guard bt.shape.count == 2 else { throw .badInput("Gemm: B must be 2-D, got shape \(bt.shape)") }
            let v = try bt.values.floats("Gemm")
            b =
                transB
                ? (MatrixMath.transpose(v, rows: bt.shape[0], columns: bt.shape[1]), bt.shape[1], bt.shape[0])
                : (v, bt.shape[0], bt.shape[1])
        }
        guard b.k == k else { throw .badInput("Gemm: A has \(k) columns but B has \(b.k) rows") }
        var out = MatrixMath.product(av, b.values, m: m, k: k, n: b.n)
        if alpha != 1 { for i in out.indices { out[i] *= alpha } }
        if let ct = try KernelInput.optional(inputs, 2, "Gemm"), beta != 0 {
            var cv = try ct.values.floats("Gemm")
            if beta != 1 { for i in cv.indices { cv[i] *= beta } }
            out = try Broadcast.apply(out, [m, b.n], cv, ct.shape, "Gemm", +).0
        }
        return [.tensor(Tensor(shape: [m, b.n], values: .float(out)))]
    }
}

/// `MatMul` of an `[..., m, k]` tensor by a `[k, n]` (or `[k]`) matrix, float or double.
struct MatMulKernel: ONNXKernel {
    let isRowWise: Bool

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        try c.expectInputs(2...2)
        isRowWise = c.constants[1] != nil
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let a = try KernelInput.tensor(inputs, 0, "MatMul")
        let b = try KernelInput.tensor(inputs, 1, "MatMul")
        guard !a.shape.isEmpty, (1...2).contains(b.shape.count) else {
            throw .badInput("MatMul: shapes \(a.shape) × \(b.shape) are not supported (B must be 1-D or 2-D)")
        }
        let k = a.shape.last!
        let n = b.shape.count == 2 ? b.shape[1] : 1
        guard b.shape[0] == k else { throw .badInput("MatMul: shapes \(a.shape) and \(b.shape) do not align") }
        let m = k == 0 ? 0 : a.elementCount / k
        var shape = Array(a.shape.dropLast())
        if b.shape.count == 2 { shape.append(n) }
        switch (a.values, b.values) {
        case (.double(let x), .double(let y)):
            return [.tensor(Tensor(shape: shape, values: .double(MatrixMath.product(x, y, m: m, k: k, n: n))))]
        default:
            let x = try a.values.floats("MatMul")
            let y = try b.values.floats("MatMul")
            return [.tensor(Tensor(shape: shape, values: .float(MatrixMath.product(x, y, m: m, k: k, n: n))))]
        }
    }
}
