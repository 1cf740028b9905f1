/// Canonical ids for the values detectors compare — owners, actors, units, targets — whether they come from
/// the log (via the reader's string table) or from the mapping file (units named only there). Holds only
/// those values, not every string of the log.
public struct ValueRegistry: Sendable {
    public private(set) var strings: [String] = [""]
    private var ids: [String: UInt32] = ["": 0]

    public init() {}

    public mutating func id(_ s: String) -> UInt32 {
        if let id = ids[s] { return id }
        let id = UInt32(strings.count)
        strings.append(s)
        ids[s] = id
        return id
    }

    public func existing(_ s: String) -> UInt32? { ids[s] }
    public subscript(id: UInt32) -> String { strings[Int(id)] }
    public var count: Int { strings.count }
}
