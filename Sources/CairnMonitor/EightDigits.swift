/// Eight ASCII digits read as one number with word arithmetic (SWAR) instead of eight multiply-adds.
enum EightDigits {
    /// The value of `buf[at..<at + 8]` when all eight bytes are digits, else nil.
    @inline(__always)
    static func value(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt64? {
        // Little-endian load: the first digit lands in the lowest byte.
        var v: UInt64 = 0
        withUnsafeMutableBytes(of: &v) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[at..<(at + 8)]))
        }
        v = UInt64(littleEndian: v)
        // Every byte is 0x30…0x39: high nibble 3, and still 3 after adding 6.
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard v & high == 0x3030_3030_3030_3030, (v &+ 0x0606_0606_0606_0606) & high == 0x3030_3030_3030_3030 else {
            return nil
        }
        var x = v &- 0x3030_3030_3030_3030
        // Byte i becomes 10·dᵢ + dᵢ₊₁; the even bytes hold the pairs d0d1, d2d3, d4d5, d6d7.
        x = x &* 10 &+ (x >> 8)
        // 16-bit lanes 0 and 2 become d0d1·100 + d2d3 and d4d5·100 + d6d7.
        x = x & 0x00FF_00FF_00FF_00FF
        x = x &* 100 &+ (x >> 16)
        return (x & 0xFFFF) &* 10_000 &+ ((x >> 32) & 0xFFFF)
    }

    /// Significant digits of an eight-digit group with its leading zeros dropped (0 for 00000000).
    @inline(__always)
    static func significant(_ v: UInt64) -> Int {
        var n = 0
        var p: UInt64 = 1
        while n < 8 && v >= p {
            n += 1
            p &*= 10
        }
        return n
    }
}
