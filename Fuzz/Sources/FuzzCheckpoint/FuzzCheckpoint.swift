import BuckStopLedger
import FuzzSupport

/// Checkpoint bodies and signed checkpoints as published: parsing is strict, so whatever parses prints back as the
/// same bytes (a witness and a citizen compare them byte for byte).
@_cdecl("FuzzCheckpoint_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        if let checkpoint = try? Checkpoint(body: bytes), checkpoint.body != bytes { fatalError("checkpoint body does not round-trip") }
        let text = String(decoding: bytes, as: UTF8.self)
        if Array(text.utf8) == bytes, let signed = try? SignedCheckpoint(text: text), signed.text != text {
            fatalError("signed checkpoint text does not round-trip")
        }
        return
    }
}
