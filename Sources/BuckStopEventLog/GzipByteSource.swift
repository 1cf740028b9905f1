import CZlib

/// Inflates a gzip (or zlib) stream read from another `ByteSource`.
///
/// The header is auto-detected (`windowBits = 15 + 32`). A file of several gzip members (as written by
/// `cat a.gz b.gz` or by parallel compressors) is read to the end: at the end of each member the inflater is
/// reset while compressed input remains. A stream that stops before its end is an error, as is corrupt data
/// (the message names the offset in the compressed input).
public final class GzipByteSource: ByteSource {
    public let name: String
    private var inner: any ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var finished = false
    /// Compressed bytes handed to zlib before the current input buffer.
    private var consumedBefore: Int64 = 0
    private var inputFill = 0
    /// Whether the current member has produced its header yet (to tell a truncated stream from trailing nothing).
    private var memberStarted = false

    public init(_ inner: any ByteSource, name: String = "gzip input", inputBufferSize: Int = 1 << 18) throws {
        self.inner = inner
        self.name = name
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: max(inputBufferSize, 64), alignment: 16)
        // zlib keeps a pointer back to the z_stream, so it must not move: it lives on the heap.
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw ByteSourceError(source: name, message: "cannot start zlib inflater (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Offset in the compressed input of the next byte zlib will read.
    private var compressedOffset: Int64 { consumedBefore + Int64(inputFill - Int(stream.pointee.avail_in)) }

    /// Refills the input buffer when zlib has used it up; false at the end of the compressed input.
    private func refill() throws -> Bool {
        if stream.pointee.avail_in > 0 { return true }
        if inputEnded { return false }
        consumedBefore += Int64(inputFill)
        inputFill = 0
        let n = try inner.read(into: input)
        if n <= 0 {
            inputEnded = true
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
            return false
        }
        inputFill = min(n, input.count)
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(inputFill)
        return true
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let capacity = min(buffer.count, Int(UInt32.max))
        stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(capacity)
        var produced: Int { capacity - Int(stream.pointee.avail_out) }
        while stream.pointee.avail_out > 0 {
            let hasInput = try refill()
            if !hasInput && !memberStarted {
                // Every member so far is complete and nothing follows: the clean end.
                if consumedBefore + Int64(inputFill) == 0 {
                    throw ByteSourceError(source: name, message: "compressed input ended early: the input is empty")
                }
                finished = true
                break
            }
            memberStarted = true
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END:
                // End of one member; another may follow.
                memberStarted = false
                let reset = inflateReset(stream)
                guard reset == Z_OK else {
                    throw ByteSourceError(source: name, message: "cannot reset zlib inflater (status \(reset))")
                }
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible. With input left that cannot happen; without, the stream was cut short.
                if stream.pointee.avail_in == 0 && inputEnded {
                    if produced > 0 { return produced }  // hand over what we have; the next call reports it
                    throw ByteSourceError(
                        source: name,
                        message: "compressed input ended early (truncated gzip stream) after \(compressedOffset) bytes")
                }
            case Z_DATA_ERROR:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                throw ByteSourceError(
                    source: name, message: "corrupt compressed data at byte offset \(compressedOffset): \(detail)")
            case Z_NEED_DICT:
                throw ByteSourceError(
                    source: name,
                    message: "corrupt compressed data at byte offset \(compressedOffset): needs a preset dictionary")
            case Z_MEM_ERROR:
                throw ByteSourceError(source: name, message: "out of memory while inflating")
            default:
                throw ByteSourceError(source: name, message: "zlib error \(status) at byte offset \(compressedOffset)")
            }
        }
        return produced
    }
}

/// Serves a few bytes already read (e.g. while sniffing a file's magic number), then the rest of the source.
public struct PrefixedByteSource<Base: ByteSource>: ByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    private var base: Base

    public init(prefix: [UInt8], base: Base) {
        self.prefix = prefix
        self.base = base
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < prefix.count {
            let n = min(buffer.count, prefix.count - offset)
            guard n > 0, let out = buffer.baseAddress else { return 0 }
            prefix.withUnsafeBytes { src in
                if let s = src.baseAddress { out.copyMemory(from: s + offset, byteCount: n) }
            }
            offset += n
            return n
        }
        return try base.read(into: buffer)
    }
}

/// Opening an event log for reading.
public enum LogInput {
    /// Opens a file, or standard input for "-", and inflates it on the fly when it starts with the gzip
    /// magic number (1f 8b), whatever its name. The sniffed bytes are not lost.
    public static func open(path: String) throws -> any ByteSource {
        let file = try FileByteSource(path: path)
        var head: [UInt8] = [0, 0]
        var got = 0
        while got < 2 {
            let n = try head.withUnsafeMutableBytes { raw in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[got...]))
            }
            if n <= 0 { break }
            got += n
        }
        head.removeSubrange(got...)
        let source = PrefixedByteSource(prefix: head, base: file)
        if got == 2 && head[0] == 0x1F && head[1] == 0x8B {
            return try GzipByteSource(source, name: file.name)
        }
        return source
    }
}
