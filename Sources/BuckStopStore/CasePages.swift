import BuckStopDomain
import BuckStopLedger

/// A scan of the ledger case by case, in pages of cases that are read, decoded and transformed ahead by two tasks at
/// once and handed to the caller in case order — one way for both stores. Decoding the canonical JSON is most of a full
/// scan's time (perf on a 10^6-entry ledger: reading and decoding about half, a report's digests a sixth), so a scan
/// uses both cores, and memory stays at three pages.
enum CasePages {
    /// Cases per page: small enough that three pages are little memory, large enough that a query per page is cheap.
    static let size = 500

    /// `nextPage` gives the first and last case ids of the page after a case id (`""` before the first), nil at the end;
    /// `read` reads, decodes and transforms the cases of a page, in case order; `body` is given each result in order.
    /// Between pages a cancelled caller (shutdown) stops.
    static func scan<T: Sendable>(
        nextPage: (_ after: String) async throws -> (first: String, last: String)?,
        read: @escaping @Sendable (_ first: String, _ last: String) async throws -> [T], _ body: (T) throws -> Void
    ) async throws {
        var ahead: [Task<[T], any Error>] = []
        defer { for task in ahead { task.cancel() } }
        var after = ""
        var exhausted = false
        while true {
            while !exhausted && ahead.count < 2 {
                guard let page = try await nextPage(after) else {
                    exhausted = true
                    break
                }
                after = page.last
                ahead.append(Task { try await read(page.first, page.last) })
            }
            guard !ahead.isEmpty else { return }
            for result in try await ahead.removeFirst().value { try body(result) }
            try Task.checkCancellation()
        }
    }

    /// Rows of `(case id, entry body)` in case and ledger order, from `next` until it gives nil, decoded and grouped into
    /// cases, each transformed.
    static func group<T>(
        next: () throws -> (caseID: String, body: [UInt8])?, _ transform: (CaseID, [(index: Int64, action: Action)]) throws -> T
    ) throws -> [T] {
        var out: [T] = []
        var current: String?
        var entries: [(index: Int64, action: Action)] = []
        while let row = try next() {
            if row.caseID != current, let done = current {
                out.append(try transform(CaseID(done), entries))
                entries.removeAll(keepingCapacity: true)
            }
            current = row.caseID
            let decoded = try LedgerEntryCodec.decode(row.body)
            entries.append((decoded.index, decoded.action))
        }
        if let done = current { out.append(try transform(CaseID(done), entries)) }
        return out
    }
}
