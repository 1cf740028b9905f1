import BuckStopLedger
import FuzzSupport

/// Canonical JSON is the ledger's byte format: any input either fails to decode with an error, or decodes to a value
/// whose canonical encoding decodes strictly back to the same value, and a canonical input is its own encoding
/// (a second spelling of one value would give one action two leaf hashes).
@_cdecl("FuzzCanonicalJSON_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        guard let value = try? CanonicalJSON.decode(bytes) else { return }
        let encoded = CanonicalJSON.encode(value)
        guard let again = try? CanonicalJSON.decodeCanonical(encoded), again == value else {
            fatalError("the canonical encoding of a decoded value does not decode back to it")
        }
        if CanonicalJSON.isCanonical(bytes), encoded != bytes { fatalError("a canonical input is not its own encoding") }
    }
}
