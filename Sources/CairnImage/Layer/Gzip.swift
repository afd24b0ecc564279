import CZlib

/// gzip compression through zlib with a header that carries no file name and no time, so the same input gives the
/// same bytes on every run (for one zlib version and level).
public enum Gzip {
    /// A zlib failure.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// zlib's return code.
        public var code: Int32
        /// A one-line explanation.
        public var description: String { "gzip compression failed (zlib code \(code))." }
    }

    /// The compression level images use (zlib's default trade-off of size and time).
    public static let defaultLevel: Int32 = 6

    /// Compresses `input` into a gzip member.
    public static func compress(_ input: [UInt8], level: Int32 = defaultLevel) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0, no name and no comment unless told otherwise.
        let initCode = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)
        )
        guard initCode == Z_OK else { throw Failure(code: initCode) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
        let code: Int32 = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard code == Z_STREAM_END else { throw Failure(code: code) }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    /// Decompresses a gzip member (used to check layers read back from a layout).
    public static func decompress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let initCode = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initCode == Z_OK else { throw Failure(code: initCode) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var code: Int32 = Z_OK
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    code = inflate(&stream, Z_NO_FLUSH)
                    return outBuf.count - Int(stream.avail_out)
                }
                output += chunk[0..<produced]
            } while code == Z_OK
        }
        guard code == Z_STREAM_END else { throw Failure(code: code == Z_BUF_ERROR ? Z_DATA_ERROR : code) }
        return output
    }
}
