import BuckStopLedger
import Foundation
import PropertyBased
import Testing

@Suite struct TreeHashAndErrorTests {
    static let sample = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"

    @Test func textForms() throws {
        let hash = th(Self.sample)
        #expect(hash.hex == Self.sample)
        #expect(hash.description == Self.sample)
        #expect(hash.bytes == hexBytes(Self.sample))
        #expect(TreeHash(hex: Self.sample.uppercased()) == hash)
        #expect(hash.base64 == "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=")
        #expect(TreeHash(base64: hash.base64) == hash)
        #expect(hash.withUnsafeBytes { Array($0) } == hash.bytes)

        for bad in [
            "", String(Self.sample.dropLast()), Self.sample + "0", Self.sample + "00",
            "g" + Self.sample.dropFirst(), " " + Self.sample.dropFirst(),
        ] {
            #expect(TreeHash(hex: bad) == nil, "\(bad)")
        }
        #expect(TreeHash(bytes: Array(repeating: 0, count: 31)) == nil)
        #expect(TreeHash(bytes: Array(repeating: 0, count: 33)) == nil)
        for bad in [
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=",
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
            "AAAA", "",
        ] {
            #expect(TreeHash(base64: bad) == nil, "\(bad)")
        }
    }

    @Test func codableAsHexString() throws {
        let hash = th(Self.sample)
        let json = try JSONEncoder().encode([hash])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(Self.sample)\"]")
        #expect(try JSONDecoder().decode([TreeHash].self, from: json) == [hash])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TreeHash].self, from: Data("[\"abcd\"]".utf8)) }
    }

    @Test func byteAndTextFormsRoundTrip() async {
        await propertyCheck(count: 200, input: Gen<UInt8>.value(in: 0...255).array(of: 32)) { bytes in
            let hash = TreeHash(bytes: bytes)!
            #expect(hash.bytes == bytes)
            #expect(TreeHash(hex: hash.hex) == hash)
            #expect(TreeHash(base64: hash.base64) == hash)
            #expect(hash.base64 == Data(bytes).base64EncodedString())
            #expect(Set([hash, TreeHash(bytes: bytes)!]).count == 1)
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(MerkleError.indexOutOfRange(index: 9, treeSize: 8).description.contains("9"))
        #expect(MerkleError.sizeOutOfRange(size: 9, treeSize: 8).description.contains("tree size 9"))
        #expect(MerkleError.missingSubtree(level: 2, index: 3).description.contains("level 2, index 3"))
        #expect(CheckpointError.malformedBody(line: 3, reason: "x").description.contains("line 3"))
    }

    @Test func treeAndFrontierBounds() throws {
        var tree = InMemoryMerkleTree()
        #expect(tree.size == 0)
        #expect(tree.rootHash() == RFC9162.emptyRoot)
        #expect(throws: MerkleError.indexOutOfRange(index: 0, treeSize: 0)) { try tree.inclusionProof(leafIndex: 0) }
        for i in 0..<5 { tree.append(entry: [UInt8(i)]) }
        #expect(throws: MerkleError.sizeOutOfRange(size: 6, treeSize: 5)) { try tree.inclusionProof(leafIndex: 0, treeSize: 6) }
        #expect(throws: MerkleError.sizeOutOfRange(size: -1, treeSize: 5)) { try tree.rootHash(treeSize: -1) }
        #expect(throws: MerkleError.sizeOutOfRange(size: 6, treeSize: 5)) { try tree.consistencyProof(from: 1, to: 6) }
        #expect(throws: MerkleError.indexOutOfRange(index: -1, treeSize: 5)) { try tree.inclusionProof(leafIndex: -1) }
        #expect(throws: MerkleError.missingSubtree(level: 0, index: 5)) { try tree.subtreeHash(level: 0, index: 5) }
        #expect(throws: MerkleError.missingSubtree(level: -1, index: 0)) { try tree.subtreeHash(level: -1, index: 0) }
        // A source lacking a subtree makes proof generation fail loudly rather than guess.
        #expect(throws: MerkleError.missingSubtree(level: 2, index: 1)) {
            try MerkleProofs.inclusionProof(leafIndex: 0, treeSize: 8, source: tree)
        }

        // Frontier JSON must carry one peak per set bit of the size.
        let bad = Data(#"{"size":3,"peaks":["\#(Self.sample)"]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MerkleFrontier.self, from: bad) }
        let negative = Data(#"{"size":-1,"peaks":[]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MerkleFrontier.self, from: negative) }
        let good = Data(#"{"size":4,"peaks":["\#(Self.sample)"]}"#.utf8)
        let frontier = try JSONDecoder().decode(MerkleFrontier.self, from: good)
        #expect(frontier.size == 4 && frontier.peaks == [th(Self.sample)] && frontier.rootHash() == th(Self.sample))
    }
}
