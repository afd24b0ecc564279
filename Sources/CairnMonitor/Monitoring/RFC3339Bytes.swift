import CairnServingCore

/// RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fff]Z` read from bytes.
enum RFC3339Bytes {
    static func parse(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int64? {
        let s = r.lowerBound
        guard r.count >= 20, b[s + 4] == 45, b[s + 7] == 45, b[s + 10] == 84, b[s + 13] == 58, b[s + 16] == 58,
            b[r.upperBound - 1] == 90
        else { return nil }
        func num(_ from: Int, _ count: Int) -> Int64? {
            var v: Int64 = 0
            for k in from..<(from + count) {
                let d = b[s + k] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
            let sec = num(17, 2), (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        var ms: Int64 = 0
        if b[s + 19] == 46 {
            var scale: Int64 = 100
            var k = 20
            while s + k < r.upperBound - 1 {
                let digit = b[s + k] &- 48
                guard digit < 10 else { return nil }
                ms += Int64(digit) * scale
                scale /= 10
                k += 1
            }
        } else if r.count != 20 {
            return nil
        }
        return RFC3339.daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000 + ms
    }
}
