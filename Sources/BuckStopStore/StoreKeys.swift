import BuckStopLedger
import Crypto
import Foundation

/// Secrets the store needs: the Ed25519 seed that signs checkpoints and the AES-256 key that
/// seals personal data. They come from configuration and never enter the database or logs.
public struct StoreKeys: Sendable {
    public let signingSeed: [UInt8]
    public let dataKey: [UInt8]

    public init(signingSeed: [UInt8], dataKey: [UInt8]) throws(StoreError) {
        guard signingSeed.count == 32 else { throw .invalidKey("signing seed: expected 32 bytes, found \(signingSeed.count)") }
        guard dataKey.count == 32 else { throw .invalidKey("data key: expected 32 bytes, found \(dataKey.count)") }
        self.signingSeed = signingSeed
        self.dataKey = dataKey
    }

    public static func generate() -> StoreKeys {
        try! StoreKeys(signingSeed: CheckpointSigner.generateSeed(), dataKey: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Text form for a key file or environment: two lines `signing-key: BASE64` and `data-key: BASE64`.
    public var fileText: String {
        "signing-key: \(Data(signingSeed).base64EncodedString())\ndata-key: \(Data(dataKey).base64EncodedString())\n"
    }

    public init(fileText: String) throws(StoreError) {
        var signing: [UInt8]?
        var data: [UInt8]?
        for (number, line) in fileText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw .invalidKey("line \(number + 1): expected `name: base64`, found '\(trimmed.prefix(20))…'")
            }
            let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard let bytes = Data(base64Encoded: value) else { throw .invalidKey("line \(number + 1): \(name) is not base64") }
            switch name {
            case "signing-key": signing = Array(bytes)
            case "data-key": data = Array(bytes)
            default: throw .invalidKey("line \(number + 1): unknown key name '\(name)', expected signing-key or data-key")
            }
        }
        guard let signing else { throw .invalidKey("signing-key is missing") }
        guard let data else { throw .invalidKey("data-key is missing") }
        try self.init(signingSeed: signing, dataKey: data)
    }
}
