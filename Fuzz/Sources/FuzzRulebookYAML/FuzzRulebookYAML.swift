import BuckStopDomain
import FuzzSupport

/// A rulebook file an agency writes: any bytes give a rulebook or a typed error, never a trap or a hang.
@_cdecl("FuzzRulebookYAML_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? YAMLLoading.rulebook(from: text)
        return
    }
}
