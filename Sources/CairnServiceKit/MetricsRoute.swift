import Hummingbird
import Prometheus

extension Router {
    /// Serves `GET /metrics` in the Prometheus text format; `beforeRender` refreshes gauges read on demand.
    public func addMetrics(
        _ registry: PrometheusCollectorRegistry, path: RouterPath = "/metrics",
        beforeRender: @escaping @Sendable () -> Void = {}
    ) {
        get(path) { _, _ -> Response in
            beforeRender()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(4096)
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
