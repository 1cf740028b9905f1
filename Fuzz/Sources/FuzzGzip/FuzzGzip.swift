import BuckStopEventLog
import FuzzSupport

/// Gzip input (`.xes.gz`, `.csv.gz`): any bytes inflate or fail with an error; reading stops after 64 MiB so that a
/// bomb costs time, not memory — the readers' own limits bound what is kept.
@_cdecl("FuzzGzip_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        guard let gzip = try? GzipByteSource(MemoryByteSource(bytes), inputBufferSize: 4096)
        else { return }
        var source = gzip
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer { buffer.deallocate() }
        var total = 0
        while total < 64 << 20, let n = try? source.read(into: buffer), n > 0 { total += n }
        return
    }
}
