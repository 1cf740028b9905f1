import BuckStopDomain
import FuzzSupport

/// An organisation file (`buckstop org load`): any bytes give an organisation or a typed error; a loaded one
/// encodes and loads back to the same organisation.
@_cdecl("FuzzOrganizationYAML_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        guard let org = try? YAMLLoading.organization(from: text) else { return }
        guard let again = try? YAMLLoading.encode(org), let back = try? YAMLLoading.organization(from: again) else {
            fatalError("a loaded organisation does not encode and load back")
        }
        if back.units.count != org.units.count || back.officials.count != org.officials.count { fatalError("organisation changed on a round trip") }
        return
    }
}
