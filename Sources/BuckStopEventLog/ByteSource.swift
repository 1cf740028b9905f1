#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a reader's bytes come from: a file, standard input, or a decompressor around either.
public protocol ByteSource {
    /// Fills up to `buffer.count` bytes; returns 0 at the end of input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A failure to read the input itself (not its content).
public struct ByteSourceError: Error, CustomStringConvertible, Sendable {
    public var source: String
    public var message: String
    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
    public var description: String { "\(source): \(message)" }
}

/// A file, or standard input for the path "-", read with plain `read(2)` calls.
public final class FileByteSource: ByteSource {
    public let name: String
    private let fd: Int32
    private let owned: Bool

    public init(path: String) throws {
        if path == "-" {
            name = "stdin"
            fd = 0
            owned = false
            return
        }
        name = path
        let opened = open(path, O_RDONLY)
        guard opened >= 0 else {
            throw ByteSourceError(source: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        fd = opened
        owned = true
    }

    deinit { if owned { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ByteSourceError(source: name, message: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes already in memory (tests, small inputs).
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
