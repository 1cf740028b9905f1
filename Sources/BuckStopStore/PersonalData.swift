import BuckStopDomain
import BuckStopLedger
import Crypto
import Foundation

/// Who filed a case. Never on the ledger: sealed with AES-GCM in its own table, erasable
/// (NĐ 13/2023, Luật Bảo vệ dữ liệu cá nhân); the ledger holds only a salted hash.
public struct PersonalData: Sendable, Hashable, Codable {
    public var fullName: String
    public var idNumber: String?
    public var address: String?
    public var phone: String?
    public var email: String?

    public init(fullName: String, idNumber: String? = nil, address: String? = nil, phone: String? = nil, email: String? = nil) {
        self.fullName = fullName
        self.idNumber = idNumber
        self.address = address
        self.phone = phone
        self.email = email
    }

    /// Which of this person's details a text carries (diacritics and case ignored, digits of an ID or phone number
    /// ignoring spaces and dots), or nil. A title is written on the ledger, which cannot forget: an applicant's name
    /// typed into it would defeat sealing the record.
    public func detail(appearingIn text: String) -> String? {
        let folded = SearchText.fold(text)
        let name = SearchText.fold(fullName)
        if name.split(separator: " ").count >= 2 || name.count >= 6, folded.contains(name) { return "fullName" }
        let digits = String(text.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.map(Character.init))
        for (field, value) in [("idNumber", idNumber), ("phone", phone)] {
            let number = String((value ?? "").unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.map(Character.init))
            if number.count >= 6, digits.contains(number) { return field }
        }
        if let email, email.count >= 5, folded.contains(email.lowercased()) { return "email" }
        return nil
    }

    var canonicalBytes: [UInt8] {
        var object: [String: JSONValue] = ["fullName": .string(fullName)]
        if let idNumber { object["idNumber"] = .string(idNumber) }
        if let address { object["address"] = .string(address) }
        if let phone { object["phone"] = .string(phone) }
        if let email { object["email"] = .string(email) }
        return CanonicalJSON.encode(.object(object))
    }

    init(canonicalBytes: [UInt8]) throws {
        guard case .object(let o) = try CanonicalJSON.decode(canonicalBytes), case .string(let name)? = o["fullName"] else {
            throw StoreError.database("personal data record is not the expected JSON object")
        }
        func text(_ key: String) -> String? { if case .string(let s)? = o[key] { s } else { nil } }
        self.init(fullName: name, idNumber: text("idNumber"), address: text("address"), phone: text("phone"), email: text("email"))
    }
}

/// Seals and opens personal data records.
struct PersonalDataVault: Sendable {
    let key: SymmetricKey

    init(dataKey: [UInt8]) { key = SymmetricKey(data: dataKey) }

    struct Sealed: Sendable {
        let ref: String
        let salt: [UInt8]
        let sealed: [UInt8]
        /// Hex SHA-256(salt ‖ canonical record): on the ledger, meaningless without the erasable salt.
        let hash: String
    }

    func seal(_ data: PersonalData) throws -> Sealed {
        // 32 random bytes in four draws: half names the record, half salts its hash.
        var random = SystemRandomNumberGenerator()
        let words = (0..<4).map { _ in random.next() as UInt64 }
        let bytes = words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } }
        let ref = Self.hex(bytes[..<16])
        let salt = Array(bytes[16...])
        let plain = data.canonicalBytes
        let box = try AES.GCM.seal(plain, using: key, authenticating: Array(ref.utf8))
        guard let combined = box.combined else { throw StoreError.database("AES-GCM produced no combined box") }
        let hash = Self.hash(salt: salt, data: data)
        return Sealed(ref: ref, salt: salt, sealed: Array(combined), hash: hash)
    }

    /// Opens a record; a wrong key or a record changed in the database fails authentication and is reported as such.
    func open(ref: String, sealed: [UInt8]) throws(StoreError) -> PersonalData {
        let plain: Data
        do {
            plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Array(ref.utf8))
        } catch {
            throw .personalDataUnreadable(ref: ref)
        }
        do { return try PersonalData(canonicalBytes: Array(plain)) } catch { throw .personalDataUnreadable(ref: ref) }
    }

    static func hash(salt: [UInt8], data: PersonalData) -> String {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: data.canonicalBytes)
        return hex(hasher.finalize())
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
