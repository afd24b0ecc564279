import Foundation

/// A FIFO queue that threads block on: producers never wait (a full queue refuses), consumers wait
/// for work. Used where work runs on dedicated threads (model worker pipes, log files) rather than
/// on the async executor, whose few threads must never block.
///
/// The state is guarded by the condition's lock; that is why the type is `@unchecked Sendable`.
final class BlockingQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    let capacity: Int

    init(capacity: Int = .max) { self.capacity = capacity }

    /// Adds an element; false when the queue is full or closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, items.count < capacity else { return false }
        items.append(element)
        condition.signal()
        return true
    }

    /// Elements waiting.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count
    }

    /// Waits for at least one element, then lets `take` remove what it wants from the waiting
    /// elements (in order) while the lock is held. Returns nil once closed and drained.
    /// With `linger`, waits that long after the first element for more to arrive, unless
    /// `enough` says the waiting elements already suffice.
    func wait<R>(
        linger: TimeInterval = 0, enough: ([Element]) -> Bool = { _ in true },
        take: (inout [Element]) -> R
    ) -> R? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty {
            if closed { return nil }
            condition.wait()
        }
        if linger > 0 {
            let until = Date(timeIntervalSinceNow: linger)
            while !closed, !enough(items), condition.wait(until: until) {}
        }
        return take(&items)
    }

    /// Removes and returns the waiting elements that match `predicate`.
    func remove(where predicate: (Element) -> Bool) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        var removed: [Element] = []
        var kept: [Element] = []
        for item in items {
            if predicate(item) { removed.append(item) } else { kept.append(item) }
        }
        if !removed.isEmpty { items = kept }
        return removed
    }

    /// Whether ``close()`` was called.
    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    /// Refuses new elements and wakes every waiting consumer; queued elements are still handed out.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
