/// Correctly rounded conversion of a decimal `w × 10^q` (w < 2⁶⁴, that is up to 19 significant digits)
/// to a Double, without `strtod`, for the exponents CSV and JSON writers emit.
///
/// Two exact paths:
/// - Clinger's fast path: w ≤ 2⁵³ and |q| ≤ 22, where w and 10^|q| are exact Doubles and one IEEE
///   multiplication or division rounds correctly.
/// - Integer arithmetic for |q| ≤ 27 (5²⁷ < 2⁶³): w·5^q as an exact 128-bit product, or w·2^s / 5^|q| as
///   a 64-bit quotient with its remainder, then rounded to 53 bits, half to even, with the dropped bits and
///   the remainder as the sticky part. 10^q = 5^q·2^q, so the power of two goes to the exponent.
///
/// Anything else returns nil and the caller falls back to `strtod`.
enum DecimalDouble {
    static let powersOfFive: [UInt64] = (0...27).map { k in (0..<k).reduce(UInt64(1)) { acc, _ in acc * 5 } }
    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }

    /// The Double nearest to w × 10^q, or nil outside the exact paths.
    @inline(__always)
    static func value(_ w: UInt64, _ q: Int) -> Double? {
        if w == 0 { return 0 }
        if w <= 1 << 53 && q >= -22 && q <= 22 {
            let m = Double(w)
            return q < 0 ? m / powersOfTen[-q] : m * powersOfTen[q]
        }
        guard q >= -27 && q <= 27 else { return nil }
        if q >= 0 {
            let (hi, lo) = w.multipliedFullWidth(by: powersOfFive[q])
            return round(hi: hi, lo: lo, sticky: false, exponent: q)
        }
        let d = powersOfFive[-q]
        let a = 64 - w.leadingZeroBitCount
        let b = 64 - d.leadingZeroBitCount
        // w·2^s < 2^(63+b) ≤ d·2^64, so the quotient fits in 64 bits (and has at least 62 of them).
        let s = 63 - a + b
        let (hi, lo) = shiftLeft(w, s)
        let (quotient, remainder) = d.dividingFullWidth((hi, lo))
        return round(hi: 0, lo: quotient, sticky: remainder != 0, exponent: q - s)
    }

    /// (hi, lo) = w << s for 0 ≤ s < 128.
    static func shiftLeft(_ w: UInt64, _ s: Int) -> (UInt64, UInt64) {
        if s == 0 { return (0, w) }
        if s < 64 { return (w >> (64 - s), w << s) }
        return (w << (s - 64), 0)
    }

    /// The Double nearest to (hi·2⁶⁴ + lo + ε)·2^exponent, where ε ∈ (0, 1) when `sticky`, else 0; nil
    /// when that needs more than the sticky flag tells (never on the paths above: a sticky quotient has at
    /// least 62 bits).
    static func round(hi: UInt64, lo: UInt64, sticky: Bool, exponent: Int) -> Double? {
        // Normalise to 64 bits with the top bit set; bits shifted out below join the sticky part.
        var n: UInt64
        var e = exponent
        var below = sticky
        if hi != 0 {
            let lz = hi.leadingZeroBitCount
            n = lz == 0 ? hi : (hi << lz) | (lo >> (64 - lz))
            let rest = lz == 0 ? lo : lo << lz
            below = below || rest != 0
            e += 64 - lz
        } else {
            let lz = lo.leadingZeroBitCount
            // A left shift of a sticky value moves its fraction into the kept bits: only safe while it
            // stays below the rounding bit (lz ≤ 10), which holds for the ≥ 62-bit quotients.
            if sticky && lz > 10 { return nil }
            n = lo << lz
            e -= lz
        }
        // Keep 53 bits, round half to even on the 11 dropped ones and the sticky part.
        var mantissa = n >> 11
        let dropped = n & 0x7FF
        if dropped > 0x400 || (dropped == 0x400 && (below || mantissa & 1 == 1)) { mantissa += 1 }
        return Double(sign: .plus, exponent: e + 11, significand: Double(mantissa))
    }
}
