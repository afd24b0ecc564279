/// Something that reads the prediction log as it is written, off the request path.
///
/// `cairn serve --monitor-window` attaches one that cuts the records into monitoring windows and
/// publishes their drift and health as Prometheus gauges on the server's own `/metrics`.
///
/// ```swift
/// struct Counter: PredictionLogObserver {
///     func observe(_ lines: [UInt8]) { /* one or more JSON Lines records */ }
///     func tick(nowMillis: Int64) {}
/// }
/// ```
public protocol PredictionLogObserver: Sendable {
    /// Called on the log's writer thread with the newline-terminated records just queued.
    func observe(_ lines: [UInt8])
    /// Called about once a second, so that time windows close when the clock passes their end.
    func tick(nowMillis: Int64)
}
