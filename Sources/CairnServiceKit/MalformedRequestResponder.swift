import CairnCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP parser rejects (a request line or headers over 80 KiB, bad syntax) with
/// the service's own error JSON instead of an empty 400, then closes the connection.
///
/// It sits in the channel pipeline after the HTTP codec, where the parser's error passes on its way to the
/// router; the router never sees such a request.
final class MalformedRequestResponder: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    let errorShape: ServiceErrorMiddleware<BasicRequestContext>.Fallback

    init(errorShape: @escaping ServiceErrorMiddleware<BasicRequestContext>.Fallback) {
        self.errorShape = errorShape
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let (status, message): (HTTPResponse.Status, String) =
            switch parseError {
            case .headerOverflow:
                (.uriTooLong, "The request line and headers are longer than 80 KiB; send long values in a POST body.")
            default: (.badRequest, "Malformed HTTP request: \(parseError).")
            }
        var w = JSONWriter()
        errorShape(status, message).writeBody(&w)
        let body = context.channel.allocator.buffer(bytes: w.bytes)
        let head = HTTPResponse(
            status: status,
            headerFields: [
                .contentType: "application/json", .contentLength: String(body.readableBytes), .connection: "close",
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
