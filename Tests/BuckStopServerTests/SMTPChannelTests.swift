import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import BuckStopServer

/// The e-mail channel against a relay in this process that answers the SMTP dialogue and records it: the envelope names
/// the owner's address, the message carries both sentences (base64, diacritics intact) and no title, a refused
/// recipient is an undelivered notice, and an official without an address is not written to at all.
@Suite struct SMTPChannelTests {
    static let reminder = Reminder(
        caseID: "NV-7", kind: .task, owner: "cv-an", dueDate: CivilDate(year: 2026, month: 5, day: 6)!, due: .dueSoon(workingDaysLeft: 2),
        day: CivilDate(year: 2026, month: 5, day: 4)!)

    /// Listens on a free port, answers one connection and returns what the client said (commands prefixed "> ", data lines
    /// as they came).
    static func relay(refusingRecipient: Bool = false) async throws -> (port: Int, transcript: Task<String, any Error>) {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let port = try #require(server.channel.localAddress?.port)
        let transcript = Task {
            try await server.executeThenClose { connections -> String in
                var transcript = ""
                for try await connection in connections {
                    try await connection.executeThenClose { input, output in
                        func say(_ line: String) async throws { try await output.write(ByteBuffer(string: line + "\r\n")) }
                        try await say("220 relay.test ESMTP")
                        var pending: [UInt8] = []
                        var inData = false
                        reading: for try await buffer in input {
                            pending.append(contentsOf: buffer.readableBytesView)
                            while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                                var line = String(decoding: pending[..<end], as: UTF8.self)
                                if line.hasSuffix("\r") { line.removeLast() }
                                pending.removeSubrange(...end)
                                if inData {
                                    if line == "." {
                                        inData = false
                                        try await say("250 2.0.0 queued")
                                    } else {
                                        transcript += line + "\n"
                                    }
                                    continue
                                }
                                transcript += "> " + line + "\n"
                                switch line.prefix(4).uppercased() {
                                case "EHLO": try await say("250-relay.test\r\n250 8BITMIME")
                                case "MAIL": try await say("250 2.1.0 ok")
                                case "RCPT": try await say(refusingRecipient ? "550 5.1.1 no such mailbox" : "250 2.1.5 ok")
                                case "DATA":
                                    inData = true
                                    try await say("354 end with <CRLF>.<CRLF>")
                                case "QUIT":
                                    // The client may hang up without waiting for this.
                                    try? await say("221 bye")
                                    break reading
                                default: try await say("500 unknown")
                                }
                            }
                        }
                    }
                    break
                }
                return transcript
            }
        }
        return (port, transcript)
    }

    @Test func aReminderIsMailedToItsOwner() async throws {
        let (port, transcript) = try await Self.relay()
        // The dialogue is what this test checks, not the deadline: the whole suite shares two cores, and a relay starved for
        // half a minute is not the channel's fault (`aSilentRelayIsAnUndeliveredNotice` checks the deadline).
        let channel = try SMTPNotificationChannel(
            host: "127.0.0.1", port: port, from: "buckstop@danang.test", addresses: ["cv-an": "an@stp.danang.test"], timeout: .seconds(600))
        try await channel.deliver(ReminderNotice(Self.reminder))
        let said = try await transcript.value
        let commands = said.split(separator: "\n").filter { $0.hasPrefix("> ") }
        #expect(
            commands == ["> EHLO buckstop", "> MAIL FROM:<buckstop@danang.test>", "> RCPT TO:<an@stp.danang.test>", "> DATA", "> QUIT"],
            "\(said)")
        #expect(said.contains("To: <an@stp.danang.test>\n") && said.contains("Content-Transfer-Encoding: base64\n"))
        let lines = said.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let subject = lines.drop { !$0.hasPrefix("Subject: ") }.prefix { $0.hasPrefix("Subject: ") || $0.hasPrefix(" ") }
        let decodedSubject = subject.map { line in
            let word = line.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "Subject: ", with: "")
            return String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decodedSubject == "BuckStop — NV-7: Sắp đến hạn: còn 2 ngày làm việc (hạn 06/05/2026)")
        let blank = try #require(lines.firstIndex(of: ""))
        let body = lines[(blank + 1)...].prefix { !$0.hasPrefix("> ") }.joined()
        let text = String(decoding: try #require(Data(base64Encoded: body)), as: UTF8.self)
        #expect(text == "NV-7: Sắp đến hạn: còn 2 ngày làm việc (hạn 06/05/2026)\r\n\r\nNV-7: Due soon: 2 working days left (due 06/05/2026)\r\n")
    }

    @Test func aRefusedRecipientIsAnUndeliveredNotice() async throws {
        let (port, transcript) = try await Self.relay(refusingRecipient: true)
        let channel = try SMTPNotificationChannel(
            host: "127.0.0.1", port: port, from: "buckstop@danang.test", addresses: ["cv-an": "x@y.test"], timeout: .seconds(600))
        await #expect {
            try await channel.deliver(ReminderNotice(Self.reminder))
        } throws: { error in
            guard case NotificationError.undelivered(let name, _) = error else { return false }
            return name == "smtp"
        }
        #expect(!(try await transcript.value).contains("> DATA"))
    }

    /// A relay that accepts the connection and never greets: the reminder is undelivered once the deadline passes, and
    /// the channel does not wait for the relay.
    @Test func aSilentRelayIsAnUndeliveredNotice() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let channel = try SMTPNotificationChannel(
            host: "127.0.0.1", port: port, from: "buckstop@danang.test", addresses: ["cv-an": "an@stp.danang.test"], timeout: .milliseconds(200))
        await #expect {
            try await channel.deliver(ReminderNotice(Self.reminder))
        } throws: { error in
            guard case NotificationError.undelivered(let name, _) = error else { return false }
            return name == "smtp"
        }
        try await server.close().get()
    }

    @Test func anOfficialWithoutAnAddressIsNotWrittenTo() async throws {
        // Nothing listens at this host: a connection attempt would fail.
        let channel = try SMTPNotificationChannel(host: "relay.invalid", port: 25, from: "buckstop@danang.test", addresses: [:])
        try await channel.deliver(ReminderNotice(Self.reminder))
    }

    @Test func addressesThatCouldBreakTheDialogueAreRefused() throws {
        for bad in ["a@b.test\r\nRCPT TO:<x@y.test>", "<a@b.test>", "a b@c.test", "no-at.test", "a@b@c.test", "a@"] {
            #expect(throws: NotificationError.invalidAddress(channel: "smtp", address: bad)) {
                try SMTPNotificationChannel(host: "h", port: 25, from: "ok@d.test", addresses: ["cv-an": bad])
            }
        }
        #expect(throws: ServerConfiguration.Problem.self) { try SMTPNotificationChannel.addresses(yaml: "cv-an: [1, 2]", source: "a.yaml") }
        #expect(
            try SMTPNotificationChannel.addresses(yaml: "cv-an: an@stp.test\ncv-binh: binh@stp.test", source: "a.yaml") == [
                "cv-an": "an@stp.test", "cv-binh": "binh@stp.test",
            ])
        var configuration = ServerConfiguration()
        try configuration.set("smtp_relay", "127.0.0.1:2525", source: "test")
        #expect(configuration.smtpRelay?.host == "127.0.0.1" && configuration.smtpRelay?.port == 2525)
        #expect(throws: ServerConfiguration.Problem.self) { try configuration.set("smtp_relay", "127.0.0.1", source: "test") }
        #expect(throws: ServerConfiguration.Problem.self) { try configuration.set("smtp_from", "x\r\ny@z.test", source: "test") }
    }

    @Test func longSubjectsAreSplitIntoEncodedWordsOfAtMost75Characters() {
        let text = String(repeating: "Quá hạn ", count: 20)
        let words = SMTPNotificationChannel.encodedWords(text).components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { String(decoding: Data(base64Encoded: String($0.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self) }.joined()
        #expect(decoded == text)
    }
}
