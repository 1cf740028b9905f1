/// Why a checkpoint, signed checkpoint or signing key was rejected.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// A key had the wrong length (Ed25519 seeds and public keys are 32 bytes).
    case invalidKeyLength(expected: Int, actual: Int)
    /// A checkpoint body did not have the exact documented shape; `line` is 1-based.
    case malformedBody(line: Int, reason: String)
    /// A signed checkpoint's text form did not have the exact documented shape.
    case malformedSignedText(reason: String)
    /// The origin is used as the signature's note key name, which must not contain `+` or spaces
    /// (C2SP signed-note); such an origin cannot be signed as a C2SP checkpoint.
    case originNotAKeyName(String)
    /// The cryptographic library refused a key or could not sign.
    case signingFailed(String)

    public var description: String {
        switch self {
        case .invalidKeyLength(let expected, let actual):
            return "Ed25519 key must be \(expected) bytes, got \(actual)"
        case .malformedBody(let line, let reason):
            return "malformed checkpoint body at line \(line): \(reason)"
        case .malformedSignedText(let reason):
            return "malformed signed checkpoint: \(reason)"
        case .originNotAKeyName(let origin):
            return "origin \(origin.debugDescription) cannot be a note key name: expected no '+' and no spaces"
        case .signingFailed(let reason):
            return "checkpoint signing failed: \(reason)"
        }
    }
}
