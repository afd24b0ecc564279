import NIOPosix
import Synchronization

/// A fixed set of decoders, each used by one thread at a time.
///
/// pocketsphinx decoders are not thread-safe and decoding is CPU-bound, so decoding runs on a
/// dedicated thread pool with as many threads as decoders (never on the async executor, which keeps
/// serving `/health` and `/metrics` while every decoder is busy). At most `size` jobs run at once,
/// so a job always finds an idle decoder; further requests wait in the thread pool's queue.
public final class DecoderPool: Sendable {
    private final class State: Sendable {
        let idle: Mutex<[PocketSphinxDecoder]>
        let busy = Mutex(0)
        init(_ decoders: [PocketSphinxDecoder]) { idle = Mutex(decoders) }
    }
    private let state: State
    private let threads: NIOThreadPool
    /// Number of decoders.
    public let size: Int

    /// Loads `size` decoders for `model`.
    public init(model: RecognizerModel, size: Int) throws(RecognizerError) {
        precondition(size >= 1)
        var decoders: [PocketSphinxDecoder] = []
        for _ in 0..<size { decoders.append(try PocketSphinxDecoder(model: model)) }
        state = State(decoders)
        self.size = size
        threads = NIOThreadPool(numberOfThreads: size)
        threads.start()
    }

    /// Decoders currently decoding.
    public var busy: Int { state.busy.withLock { $0 } }

    /// Decodes one utterance of 16 kHz samples on a free decoder.
    public func recognize(_ samples: [Int16]) async throws -> String {
        try await threads.runIfActive { [state] in
            guard let decoder = state.idle.withLock({ $0.popLast() }) else {
                throw RecognizerError.decodingFailed("no idle decoder")
            }
            state.busy.withLock { $0 += 1 }
            defer {
                state.busy.withLock { $0 -= 1 }
                state.idle.withLock { $0.append(decoder) }
            }
            return try decoder.recognize(samples)
        }
    }

    /// Stops the decoding threads after the queued work finishes.
    public func shutdown() async throws {
        try await threads.shutdownGracefully()
    }
}
