import BuckStopEventLog
import FuzzSupport

/// An exported XES log: any bytes are read or refused with a `LogReadError` naming the place; memory stays within the
/// reader's limits (the fuzzer's RSS limit checks it).
@_cdecl("FuzzXES_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        var source = MemoryByteSource(bytes)
        var options = LogReadOptions()
        options.batchEvents = 64
        _ = try? XESReader.read(&source, options: options) { _ in }
        return
    }
}
