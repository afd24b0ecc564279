/// Helpers shared by the rank- and CDF-based tests.
enum Sorting {
    /// A sorted copy of the finite values.
    static func sortedFinite(_ values: [Double]) -> [Double] {
        var out = values.filter { $0.isFinite }
        out.sort()
        return out
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
