import Foundation
import Synchronization

/// A progress bar on stderr for copies and imports: redrawn in place on a terminal at most four
/// times a second, one line every five seconds otherwise.
final class TransferProgressBar: Sendable {
    private let tty = isatty(STDERR_FILENO) != 0
    private let enabled: Bool
    private let started = Date()
    private let lastDrawn = Mutex(-1.0)

    /// Creates the bar; a disabled one draws nothing.
    init(enabled: Bool) { self.enabled = enabled }

    /// Draws `done` of `total` with a label, unless the last drawing is too recent (the final one always draws).
    func update(label: String, done: Int, total: Int) {
        guard enabled else { return }
        let now = Date().timeIntervalSince(started)
        let due = lastDrawn.withLock { last -> Bool in
            guard done >= total || now - last >= (tty ? 0.25 : 5) else { return false }
            last = now
            return true
        }
        guard due else { return }
        let share = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let width = 30
        let filled = Int(share * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = now > 0 ? Double(done) / now : 0
        let text = String(format: "[%@] %3.0f%%  %d/%d  %.0f/s  %@", bar, share * 100, done, total, rate, label)
        Console.err(tty ? "\r\u{1B}[K" + text : text + "\n")
    }

    /// Ends the line on a terminal.
    func finish() {
        if enabled && tty { Console.err("\n") }
    }
}
