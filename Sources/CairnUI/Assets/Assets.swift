import Hummingbird

/// The stylesheet and script of the UI, served from the binary (no external assets).
enum Assets {
    static let stylePath = "/static/cairn.css"
    static let scriptPath = "/static/cairn.js"

    static func response(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
