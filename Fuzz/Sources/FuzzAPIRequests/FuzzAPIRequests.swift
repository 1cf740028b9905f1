import BuckStopAPI
import FuzzSupport

/// The JSON API's request documents: any body gives a request or a typed error naming the field; an accepted
/// action request turns into a domain action or a typed problem.
@_cdecl("FuzzAPIRequests_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        if let action = try? ActionRequest(json: bytes) { _ = try? action.input.body() }
        _ = try? OpenCaseRequest(json: bytes)
        _ = try? ExplanationRequest(json: bytes)
        _ = try? ReviewRequest(json: bytes)
        _ = try? ConsequenceRequest(json: bytes)
        _ = try? RemediationRequest(json: bytes)
        return
    }
}
