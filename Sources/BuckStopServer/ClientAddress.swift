/// The address a request came from, for rate limits and logs. `X-Forwarded-For` is believed only when the peer is a
/// proxy the configuration trusts: otherwise anyone could pick a fresh address for each guess of a PIN.
enum ClientAddress {
    /// With a trusted peer, the rightmost address of `X-Forwarded-For` that is not itself a trusted proxy (each proxy
    /// appends the address it received from; only the ones we run are believed); the peer itself otherwise.
    static func resolve(peer: String, forwardedFor: [String], trusted: Set<String>) -> String {
        guard trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !trusted.contains(hop) {
            return hop
        }
        return hops.first ?? peer
    }

    /// A peer on this machine that did not come through a proxy.
    static func isLocal(peer: String, trusted: Set<String>) -> Bool {
        !trusted.contains(peer) && (peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("127.") || peer == "::ffff:127.0.0.1")
    }
}

/// Where a page may send the browser after login: only a path on this site. `/\evil.example/`, `//evil.example`,
/// a tab or a newline after the slash, or a scheme would all leave the site in some browser.
enum SafeRedirect {
    static func path(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), next.count <= 2048 else { return "/" }
        let bytes = Array(next.utf8)
        guard bytes.count < 2 || (bytes[1] != UInt8(ascii: "/") && bytes[1] != UInt8(ascii: "\\")) else { return "/" }
        // Browsers drop tabs and newlines and read backslashes as slashes: none of them, nor any control character.
        guard !bytes.contains(where: { $0 < 0x21 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else { return "/" }
        // A percent-encoded slash or backslash right after the first slash is decoded by some routers.
        let lowered = next.lowercased()
        guard !lowered.hasPrefix("/%2f"), !lowered.hasPrefix("/%5c") else { return "/" }
        return next
    }
}
