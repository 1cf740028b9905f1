import BuckStopLive
import Foundation
import Testing

@testable import BuckStopServer

/// Tokens, request ids and cookies are base64url written by hand (`Data.base64URL`, made for every request): it must be
/// exactly Foundation's base64 with the URL-safe alphabet and no padding, and read back by `Data(base64URL:)`.
@Suite struct TokensTests {
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func base64URLIsFoundationsWithTheURLAlphabetAndNoPadding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let encoded = Data(bytes).base64URL
                #expect(encoded == Self.reference(bytes), "\(bytes)")
                #expect(Data(base64URL: encoded) == Data(bytes))
            }
        }
        #expect(Data([0xfb, 0xff]).base64URL == "-_8")
        // A slice of a larger buffer starts at its own index, not 0.
        #expect(Data([0, 0xfb, 0xff]).dropFirst().base64URL == "-_8")
    }

    @Test func randomTokensHaveTheLengthTheirBytesGiveAndDiffer() {
        let tokens = (0..<200).map { _ in Tokens.random(bytes: 12) }
        #expect(tokens.allSatisfy { $0.count == 16 && RequestID.isWellFormed($0) })
        #expect(Set(tokens).count == tokens.count)
        #expect(Tokens.random(bytes: 18).count == 24 && Tokens.random(bytes: 32).count == 43)
    }
}
