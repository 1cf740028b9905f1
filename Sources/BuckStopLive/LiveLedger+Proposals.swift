import BuckStopDomain
import BuckStopStore

extension LiveLedger {
    /// A proposal as its entries tell it (nil for any other case).
    public func proposal(_ id: CaseID) async throws -> ProposalRecord? {
        guard let state = try await store.caseState(id), state.kind == .proposal else { return nil }
        return ProposalRecord(caseID: id, records: try await store.entries(of: id, after: -1).map { ($0.index, $0.action) })
    }

    /// The approved proposal a case is acted on under, with the index of the entry that says so (nil when none).
    public func proposalRelied(on caseID: CaseID) async throws -> (proposal: ProposalRecord, index: Int64)? {
        for record in try await store.entries(of: caseID, after: -1) {
            guard let id = record.action.body.proposalRelied, let proposal = try await proposal(id) else { continue }
            return (proposal, record.index)
        }
        return nil
    }

    /// A case is acted on under a proposal only when the proposal is approved, the actor made it, and the case is not
    /// already under one; the entry then carries the index of the approving entry — read here, because the case's own
    /// state knows nothing of other cases.
    func resolvingReliance(_ action: Action) async throws(StoreError) -> Action {
        guard case .actUnderProposal(let id, let note, _) = action.body else { return action }
        let name = action.body.type.rawValue
        do {
            guard let proposal = try await proposal(id) else {
                throw DomainError.invalidField(action: name, field: "proposal", reason: .proposal(.notAProposal(id)))
            }
            guard let decision = proposal.decision, decision.approved else {
                throw DomainError.invalidField(action: name, field: "proposal", reason: .proposal(.proposalNotApproved(id)))
            }
            guard let actor = action.actor.officialID, actor == proposal.proposer else {
                throw DomainError.notPermitted(
                    action: name, actor: action.actor.stored, reason: .proposal(.onlyProposerActsUnder(proposer: proposal.proposer)))
            }
            if let relied = try await proposalRelied(on: action.caseID) {
                throw DomainError.invalidField(action: name, field: "case", reason: .proposal(.alreadyActingUnder(relied.proposal.caseID)))
            }
            var resolved = action
            resolved.body = .actUnderProposal(proposal: id, note: note, approval: decision.index)
            return resolved
        } catch let error as DomainError {
            throw .rejected(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    /// The reliance and, on the proposal, its record of the case, in one batch (as a duplicate and its link).
    func appendReliance(_ action: Action, on proposal: CaseID, serverTime: Bool) async throws(StoreError) -> AppendOutcome {
        await detection.warm(action.caseID, store: store)
        let link = Action(caseID: proposal, actor: .system("proposal"), at: action.at, body: .proposalApplied(case: action.caseID), via: action.via)
        let results = await store.appendBatch(serverTime ? [.stamped(action), .stamped(link)] : [.action(action), .action(link)])
        guard let first = results.first else { throw .database("the batch of a reliance and its link answered nothing") }
        let receipt = try first.get()
        if results.count > 1, case .failure(let error) = results[1] {
            logger.error(
                "reliance recorded without its link on the proposal",
                metadata: ["case": "\(action.caseID.rawValue)", "proposal": "\(proposal.rawValue)", "error": "\(error)"])
        }
        var written = action
        written.at = receipt.at
        return AppendOutcome(receipt: receipt, findings: await findings(of: receipt, appended: written), pin: nil)
    }

    /// A review of a finding on a case acted on under an approved proposal of the official concerned assesses the decree's
    /// criteria (`ProtectionReview`), naming that proposal and only criteria the rulebook has; a review of any other
    /// finding assesses none.
    func checkProtection(_ action: Action) async throws(StoreError) {
        guard case .reviewFinding(let findingID, _, _, _, let protection) = action.body else { return }
        let name = action.body.type.rawValue
        do {
            guard let finding = try await store.finding(id: findingID)?.finding else { return }
            let relied = try await proposalRelied(on: finding.caseID).flatMap { $0.proposal.proposer == finding.official ? $0.proposal : nil }
            switch (relied, protection) {
            case (nil, nil):
                return
            case (nil, .some):
                throw DomainError.invalidField(action: name, field: "protection", reason: .proposal(.noProposalToReview))
            case (let proposal?, nil):
                throw DomainError.invalidField(
                    action: name, field: "protection", reason: .proposal(.protectionReviewRequired(proposal: proposal.caseID)))
            case (let proposal?, let review?):
                guard review.proposal == proposal.caseID else {
                    throw DomainError.invalidField(
                        action: name, field: "protection.proposal",
                        reason: .proposal(.wrongProposal(expected: proposal.caseID, found: review.proposal)))
                }
                var seen = Set<String>()
                for (n, code) in review.unmet.enumerated() {
                    guard rulebook.protectionCriterion(code) != nil else {
                        throw DomainError.invalidField(
                            action: name, field: "protection.unmet[\(n)]",
                            reason: .proposal(.unknownCriterion(code, known: rulebook.protectionCriteria.map(\.code))))
                    }
                    guard seen.insert(code).inserted else {
                        throw DomainError.invalidField(action: name, field: "protection.unmet[\(n)]", reason: .proposal(.repeatedCriterion(code)))
                    }
                }
            }
        } catch let error as DomainError {
            throw .rejected(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }
}
