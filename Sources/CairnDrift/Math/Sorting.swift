import Dispatch

/// Helpers shared by the rank- and CDF-based tests.
enum Sorting {
    /// A sorted copy of the finite values.
    static func sortedFinite(_ values: [Double]) -> [Double] {
        let out = values.filter { $0.isFinite }
        return radixSorted(out)
    }

    /// Sorted copies of the finite values of two samples; large samples are sorted at the same time on two
    /// cores (the sort is most of a two-sample test's cost).
    static func sortedFinite(_ a: [Double], _ b: [Double]) -> ([Double], [Double]) {
        guard a.count + b.count > 200_000 else { return (sortedFinite(a), sortedFinite(b)) }
        nonisolated(unsafe) var sa: [Double] = []
        nonisolated(unsafe) var sb: [Double] = []
        // Each iteration writes only its own result.
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { sa = sortedFinite(a) } else { sb = sortedFinite(b) }
        }
        return (sa, sb)
    }

    /// Sorts finite doubles ascending: an LSD radix sort on order-preserving 64-bit keys (six 11-bit passes,
    /// all digit counts taken in one read, passes whose digit is the same for every key skipped) for large
    /// inputs, the standard library sort otherwise.
    static func radixSorted(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 2048 else { return values.sorted() }
        let bits = 11
        let buckets = 1 << bits
        let passes = 6
        let mask: UInt64 = UInt64(buckets - 1)
        var keys = [UInt64](repeating: 0, count: n)
        var buffer = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: buckets * passes)
        values.withUnsafeBufferPointer { vs in
            keys.withUnsafeMutableBufferPointer { ks in
                counts.withUnsafeMutableBufferPointer { cs in
                    for i in 0..<n {
                        let b = vs[i].bitPattern
                        let k = (b >> 63) != 0 ? ~b : b | (1 << 63)
                        ks[i] = k
                        for p in 0..<passes { cs[p * buckets + Int((k >> UInt64(p * bits)) & mask)] &+= 1 }
                    }
                }
            }
        }
        var inKeys = true
        keys.withUnsafeMutableBufferPointer { ks in
            buffer.withUnsafeMutableBufferPointer { bs in
                counts.withUnsafeMutableBufferPointer { cs in
                    for p in 0..<passes {
                        let base = p * buckets
                        let shift = UInt64(p * bits)
                        // Skip a pass whose digit is constant.
                        var distinctDigits = 0
                        for d in 0..<buckets where cs[base + d] != 0 { distinctDigits += 1 }
                        if distinctDigits == 1 { continue }
                        var total = 0
                        for d in 0..<buckets {
                            let c = cs[base + d]
                            cs[base + d] = total
                            total += c
                        }
                        let (from, to) = inKeys ? (ks, bs) : (bs, ks)
                        for i in 0..<n {
                            let k = from[i]
                            let d = base + Int((k >> shift) & mask)
                            to[cs[d]] = k
                            cs[d] &+= 1
                        }
                        inKeys.toggle()
                    }
                }
            }
        }
        let sorted = inKeys ? keys : buffer
        return sorted.map { k in Double(bitPattern: (k >> 63) != 0 ? k & ~(1 << 63) : ~k) }
    }

    /// Greatest common divisor.
    static func gcd(_ a: Int, _ b: Int) -> Int {
        var x = a
        var y = b
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// Mid-ranks (1-based, ties averaged) of the concatenation `a + b`, returned per input sample.
    static func midRanks(_ a: [Double], _ b: [Double]) -> (ranksA: [Double], ranksB: [Double], tieSizes: [Int]) {
        let n = a.count + b.count
        var index = [Int](0..<n)
        let all = a + b
        index.sort { all[$0] < all[$1] }
        var ranks = [Double](repeating: 0, count: n)
        var ties: [Int] = []
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && all[index[j + 1]] == all[index[i]] { j += 1 }
            let rank = Double(i + j + 2) / 2
            for k in i...j { ranks[index[k]] = rank }
            ties.append(j - i + 1)
            i = j + 1
        }
        return (Array(ranks[0..<a.count]), Array(ranks[a.count...]), ties)
    }
}
