import BuckStopDomain
import BuckStopLive
import Foundation
import NIOCore
import NIOPosix
import Yams

/// Hands each reminder to an SMTP relay (RFC 5321) as a short plain-text e-mail to its owner: the agency's own mail
/// server, or a relay on this machine that adds TLS and authentication — this channel speaks neither, so no password is
/// configured here. An official without an address is reminded in the inbox and on the event stream only: the
/// organisation BuckStop keeps has no addresses, the deployment gives them (`smtp_addresses`).
public struct SMTPNotificationChannel: NotificationChannel {
    public let host: String
    public let port: Int
    public let from: String
    let addresses: [OfficialID: String]
    let timeout: Duration

    /// Refuses an address that could break out of its line in the dialogue or a header.
    public init(host: String, port: Int, from: String, addresses: [OfficialID: String], timeout: Duration = .seconds(30))
        throws(NotificationError)
    {
        for address in [from] + addresses.values where !Self.isAddress(address) {
            throw .invalidAddress(channel: "smtp", address: address)
        }
        self.host = host
        self.port = port
        self.from = from
        self.addresses = addresses
        self.timeout = timeout
    }

    /// local@domain without spaces, controls, angle brackets or a second @, at most 254 bytes (RFC 5321 §4.5.3.1.3).
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || "<>()[],;:\\\"".unicodeScalars.contains($0) }
    }

    /// The addresses of `smtp_addresses`: a YAML mapping of official ids to addresses, each checked.
    public static func addresses(yaml text: String, source: String) throws(ServerConfiguration.Problem) -> [OfficialID: String] {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch {
            throw .invalid(source: source, key: "(document)", expected: "YAML", found: String(describing: error).prefix(120).description)
        }
        guard let map = loaded as? [String: Any] else {
            throw .invalid(source: source, key: "(document)", expected: "a mapping of official ids to e-mail addresses", found: "\(type(of: loaded))")
        }
        var out: [OfficialID: String] = [:]
        for (official, value) in map {
            guard let address = value as? String, isAddress(address) else {
                throw .invalid(source: source, key: official, expected: "an e-mail address (local@domain)", found: "\(value)")
            }
            out[OfficialID(official)] = address
        }
        return out
    }

    public func deliver(_ notice: ReminderNotice) async throws(NotificationError) {
        guard let to = addresses[notice.reminder.owner] else { return }
        let message = Self.message(notice, from: from, to: to, date: Date())
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await send(message, to: to) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw SMTPFailure.timedOut
                }
                defer { group.cancelAll() }
                _ = try await group.next()
            }
        } catch {
            throw .undelivered(channel: "smtp", reason: String(describing: error))
        }
    }

    private func send(_ message: String, to: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        try await channel.executeThenClose { inbound, outbound in
            var replies = SMTPReplies(inbound.makeAsyncIterator())
            func step(_ command: String?, expect first: UInt8) async throws {
                if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                let reply = try await replies.next()
                guard reply.code / 100 == Int(first) else { throw SMTPFailure.refused(command: command ?? "(greeting)", reply: reply.line) }
            }
            try await step(nil, expect: 2)
            try await step("EHLO buckstop", expect: 2)
            try await step("MAIL FROM:<\(from)>", expect: 2)
            try await step("RCPT TO:<\(to)>", expect: 2)
            try await step("DATA", expect: 3)
            try await step(message + "\r\n.", expect: 2)
            // Delivered once the data was accepted: a relay that hangs up on QUIT changes nothing.
            try? await step("QUIT", expect: 2)
        }
    }

    /// The e-mail (headers and body, CRLF lines, without the final "."): the notice's two sentences, Vietnamese first.
    /// Subject and body are base64 (RFC 2047, RFC 2045), so any relay carries the diacritics and no line can start with
    /// the "." that ends the data.
    static func message(_ notice: ReminderNotice, from: String, to: String, date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let body = Data((notice.vietnamese + "\r\n\r\n" + notice.english + "\r\n").utf8).base64EncodedString()
        let lines = stride(from: 0, to: body.count, by: 76).map { start in
            String(body.dropFirst(start).prefix(76))
        }
        return [
            "From: BuckStop <\(from)>", "To: <\(to)>", "Subject: " + encodedWords("BuckStop — " + notice.vietnamese),
            "Date: " + formatter.string(from: date), "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64", "",
        ].joined(separator: "\r\n") + "\r\n" + lines.joined(separator: "\r\n")
    }

    /// RFC 2047 encoded words of at most 45 bytes of text each (75 characters encoded), split between characters and
    /// folded onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk = ""
        for character in text {
            if chunk.utf8.count + String(character).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }
}

/// Why the dialogue with the relay stopped (logged as the reason of `NotificationError.undelivered`).
enum SMTPFailure: Error, CustomStringConvertible {
    case refused(command: String, reply: String)
    case closed
    case malformed(String)
    case timedOut

    var description: String {
        switch self {
        case .refused(let command, let reply): "\(command.prefix(40)) answered \(reply)"
        case .closed: "the relay closed the connection"
        case .malformed(let line): "not an SMTP reply: \(line.prefix(80))"
        case .timedOut: "no answer in time"
        }
    }
}

/// The relay's replies, one at a time: a multi-line reply ("250-…" lines) ends with the line whose code is followed by a
/// space. Bounded, so a relay that never ends a line cannot fill the memory.
struct SMTPReplies {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

    mutating func next() async throws -> (code: Int, line: String) {
        while true {
            while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                pending.removeSubrange(...end)
                guard line.utf8.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPFailure.malformed(line) }
                if line.utf8.count == 3 || line.dropFirst(3).first == " " { return (code, line) }
            }
            guard pending.count < 64 * 1024, let buffer = try await iterator.next() else { throw SMTPFailure.closed }
            pending.append(contentsOf: buffer.readableBytesView)
        }
    }
}
