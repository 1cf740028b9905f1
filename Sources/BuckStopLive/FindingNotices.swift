import BuckStopAnalysis
import BuckStopDetectors
import BuckStopDomain
import Crypto

/// Turns detector findings (numbers over detector ids) into the notices written on the ledger.
enum FindingNotices {
    /// Stable per (case, detector, official): the same behaviour by the same person is raised once per case.
    static func id(case caseID: CaseID, detector: DetectorID, official: String) -> String {
        let digest = SHA256.hash(data: Array("\(caseID.rawValue)|\(detector.rawValue)|\(official)".utf8))
        return "F"
            + digest.prefix(8).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
    }

    static func notice(
        _ f: DetectorFinding, caseID: CaseID, ownerName: String, indices: [Int64], model: LiveModel
    ) -> FindingNotice {
        let org = model.organization
        let official = org.official(OfficialID(ownerName))
        let shown = official.map { "\($0.name) (\($0.id.rawValue))" } ?? ownerName
        return FindingNotice(
            id: id(case: caseID, detector: f.detector, official: ownerName), detector: f.detector.rawValue, official: official?.id,
            unit: official?.unit, severity: f.severity.findingSeverity,
            evidence: f.evidence.compactMap { Int($0) < indices.count && $0 >= 0 ? indices[Int($0)] : nil },
            value: Explanation.number(f.value), limit: Explanation.number(f.limit),
            explanation: Explanation.text(f, owner: shown, vietnamese: true), explanationEn: Explanation.text(f, owner: shown, vietnamese: false))
    }
}
