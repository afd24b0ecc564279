import Synchronization

/// Fixed slots filled from concurrent work, one per index.
final class ResultSlots<T: Sendable>: Sendable {
    private let slots: Mutex<[Result<T, any Error>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Result<T, any Error>) {
        slots.withLock { $0[index] = value }
    }

    func get(_ index: Int) throws -> T {
        let value = slots.withLock { $0[index] }
        return try value!.get()
    }
}
