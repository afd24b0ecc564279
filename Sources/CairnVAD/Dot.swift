/// The dot product of two float runs, eight lanes at a time; `count` must be a multiple of 8.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD8<Float>()
    let ra = UnsafeRawPointer(a)
    let rb = UnsafeRawPointer(b)
    var offset = 0
    while offset < count * 4 {
        acc +=
            ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            * rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        offset += 32
    }
    return acc.sum()
}
