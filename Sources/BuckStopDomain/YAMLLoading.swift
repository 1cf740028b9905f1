import Foundation
import Yams

/// Reading an organisation or a rulebook from YAML text. The caller reads the file; this stays pure.
public enum YAMLLoading {
    public static func organization(from yaml: String) throws(DomainError) -> Organization {
        let file: OrganizationFile = try decode(yaml)
        return try Organization(units: file.units, officials: file.officials, mandates: file.mandates ?? [])
    }

    /// A rulebook whose rules agree (`Rulebook.validate`) and in which nothing BuckStop judges by is missing
    /// (`Rulebook.requireComplete`): every failure names the rule.
    public static func rulebook(from yaml: String) throws(RulebookError) -> Rulebook {
        let rulebook: Rulebook
        do {
            let file: RulebookFile = try decode(yaml)
            rulebook = try Rulebook(
                id: file.id, title: file.title, rules: file.rules, procedures: file.procedures ?? [], thresholds: file.thresholds ?? [],
                limits: file.limits ?? [], competence: file.competence ?? [], receptionSchedules: file.receptionSchedules ?? [],
                suspension: file.suspension ?? [], refusalGrounds: file.refusalGrounds ?? [], withdrawal: file.withdrawal ?? [],
                dialogue: file.dialogue ?? [], inspectionFields: file.inspectionFields ?? [], findingCauses: file.findingCauses ?? [],
                consequenceMeasures: file.consequenceMeasures ?? [], protectionCriteria: file.protectionCriteria ?? [],
                goodWork: file.goodWork ?? [], serviceIndex: file.serviceIndex ?? [])
        } catch {
            throw .invalid(error)
        }
        try rulebook.requireComplete()
        return rulebook
    }

    public static func encode(_ org: Organization) throws -> String {
        let file = OrganizationFile(
            units: org.units.values.sorted { $0.id < $1.id }, officials: org.officials.values.sorted { $0.id < $1.id },
            mandates: org.mandates)
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true  // Vietnamese names stay readable, not \u-escaped
        encoder.options.sortKeys = false
        return try encoder.encode(file)
    }

    /// Any Decodable from YAML, with errors that name the path (`activities.escalation[2]: …`).
    public static func decode<T: Decodable>(_ type: T.Type, from yaml: String) throws(DomainError) -> T {
        try decode(yaml)
    }

    private static func decode<T: Decodable>(_ yaml: String) throws(DomainError) -> T {
        do {
            return try YAMLDecoder().decode(T.self, from: yaml)
        } catch let error as DecodingError {
            throw describe(error)
        } catch let error as YamlError {
            throw .invalidYAML(path: "(document)", reason: "\(error)")
        } catch {
            throw .invalidYAML(path: "(document)", reason: "\(error)")
        }
    }

    /// Turns a DecodingError into "units[3].kind: expected …" so the user can find the line.
    private static func describe(_ error: DecodingError) -> DomainError {
        func path(_ keys: [any CodingKey]) -> String {
            let parts = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
            let joined = parts.joined()
            return joined.hasPrefix(".") ? String(joined.dropFirst()) : (joined.isEmpty ? "(root)" : joined)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidYAML(path: path(context.codingPath + [key]), reason: "required field is missing")
        case .typeMismatch(let type, let context):
            return .invalidYAML(path: path(context.codingPath), reason: "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return .invalidYAML(path: path(context.codingPath), reason: "expected \(type), found nothing")
        case .dataCorrupted(let context):
            return .invalidYAML(path: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .invalidYAML(path: "(document)", reason: "\(error)")
        }
    }
}

struct OrganizationFile: Codable {
    var units: [Unit]
    var officials: [Official]
    var mandates: [Mandate]?
}

struct RulebookFile: Codable {
    var id: String
    var title: String
    var rules: [DeadlineRule]
    var procedures: [Procedure]?
    var thresholds: [Threshold]?
    var limits: [LimitRule]?
    var competence: [CompetenceRule]?
    var receptionSchedules: [ReceptionSchedule]?
    var suspension: [SuspensionRule]?
    var refusalGrounds: [RefusalGround]?
    var withdrawal: [WithdrawalRule]?
    var dialogue: [DialogueRule]?
    var inspectionFields: [InspectionField]?
    var findingCauses: [FindingCause]?
    var consequenceMeasures: [ConsequenceMeasure]?
    var protectionCriteria: [ProtectionCriterion]?
    var goodWork: [GoodWorkRule]?
    var serviceIndex: [ServiceIndexGroup]?
}
