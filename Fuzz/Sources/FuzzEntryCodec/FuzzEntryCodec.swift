import BuckStopDomain
import BuckStopLedger
import FuzzSupport

/// A ledger entry read back, written again and read again is the same action at the same index (what replays and
/// `verify` rely on), and its prepared form is the full encoding.
@_cdecl("FuzzEntryCodec_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        guard let (index, action) = try? LedgerEntryCodec.decode(bytes) else { return }
        let encoded = LedgerEntryCodec.encode(action, index: index)
        guard let again = try? LedgerEntryCodec.decode(encoded), again.index == index, again.action == action else {
            fatalError("an entry does not survive being written again")
        }
        if LedgerEntryCodec.prepare(action).bytes(index: index) != encoded { fatalError("the prepared entry differs from the full encoding") }
    }
}
