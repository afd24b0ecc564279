/// A fixed-capacity buffer of `Float` samples allocated once.
///
/// The detector's state lives in buffers like this so that steady-state processing never allocates:
/// Swift arrays held in a struct may copy on write, a raw allocation never does.
final class SampleBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int, value: Float = 0) {
        self.count = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: value, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    subscript(index: Int) -> Float {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    /// Sets every sample to `value`.
    func fill(_ value: Float) {
        pointer.update(repeating: value, count: count)
    }
}
