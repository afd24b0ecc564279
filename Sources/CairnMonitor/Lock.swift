import Foundation

/// Fixed slots filled from concurrent work, one per index, behind a lock.
final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<T, Error>) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = value
    }

    func get(_ index: Int) throws -> T {
        lock.lock()
        let value = slots[index]
        lock.unlock()
        return try value!.get()
    }
}
