import Hummingbird
import NIOCore

/// The tracking server's request context: Hummingbird's core storage plus the client's address, which
/// sign-in throttling and the audit log record.
public struct CairnRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer.
    public let remoteAddress: SocketAddress?

    /// Creates a context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
