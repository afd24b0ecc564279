/// Helpers shared by the rank- and CDF-based tests.
enum Sorting {
    /// A sorted copy of the finite values.
    static func sortedFinite(_ values: [Double]) -> [Double] {
        let out = values.filter { $0.isFinite }
        return radixSorted(out)
    }

    /// Sorts finite doubles ascending: an LSD radix sort on order-preserving 64-bit keys (four 16-bit
    /// passes) for large inputs, the standard library sort otherwise.
    static func radixSorted(_ values: [Double]) -> [Double] {
        let n = values.count
        guard n > 2048 else { return values.sorted() }
        var keys = values.map { v -> UInt64 in
            let bits = v.bitPattern
            return (bits >> 63) != 0 ? ~bits : bits | (1 << 63)
        }
        var buffer = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 65_536)
        keys.withUnsafeMutableBufferPointer { src in
            buffer.withUnsafeMutableBufferPointer { dst in
                var from = src
                var to = dst
                for pass in 0..<4 {
                    let shift = UInt64(pass * 16)
                    for i in 0..<65_536 { counts[i] = 0 }
                    for k in from { counts[Int((k >> shift) & 0xFFFF)] += 1 }
                    var total = 0
                    for i in 0..<65_536 {
                        let c = counts[i]
                        counts[i] = total
                        total += c
                    }
                    for k in from {
                        let digit = Int((k >> shift) & 0xFFFF)
                        to[counts[digit]] = k
                        counts[digit] += 1
                    }
                    swap(&from, &to)
                }
            }
        }
        // Four passes leave the result back in `keys`.
        return keys.map { k in
            Double(bitPattern: (k >> 63) != 0 ? k & ~(1 << 63) : ~k)
        }
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
