import BuckStopLive
import Foundation
import Testing

@testable import BuckStopServer

/// Tokens and request ids are written by hand (they are made for every request): they must be exactly what
/// Foundation's base64 with the URL-safe alphabet and no padding gives.
@Suite struct TokensTests {
    @Test func base64URLIsFoundationsWithTheURLAlphabetAndNoPadding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(Tokens.base64URL(bytes[...]) == Data(bytes).base64URL, "\(bytes)")
            }
        }
        #expect(Tokens.base64URL([0xfb, 0xff][...]) == "-_8")
    }

    @Test func randomTokensHaveTheLengthTheirBytesGiveAndDiffer() {
        let tokens = (0..<200).map { _ in Tokens.random(bytes: 12) }
        #expect(tokens.allSatisfy { $0.count == 16 && RequestID.isWellFormed($0) })
        #expect(Set(tokens).count == tokens.count)
        #expect(Tokens.random(bytes: 18).count == 24 && Tokens.random(bytes: 32).count == 43)
    }
}
