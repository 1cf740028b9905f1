import OpenAPIRuntime

// The document requires every response property and sends an absent value as `null` ("Absent values are sent as
// `null`, never omitted"). The generated types encode an optional with `encodeIfPresent`, which leaves the key
// out (apple/swift-openapi-generator#934), so the responses with nullable properties encode here, key by key with
// `encode`, which writes `null` for nil. The keys are the generated `CodingKeys`; a property added to the document
// and missing here fails GeneratedAPITests (every required key present, nulls included).

extension Components.Schemas.CaseSummary {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(kind, forKey: .kind)
        try c.encode(procedure, forKey: .procedure)
        try c.encode(title, forKey: .title)
        try c.encode(leadUnit, forKey: .leadUnit)
        try c.encode(owner, forKey: .owner)
        try c.encode(ownerName, forKey: .ownerName)
        try c.encode(status, forKey: .status)
        try c.encode(dueDate, forKey: .dueDate)
        try c.encode(openedAt, forKey: .openedAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(ownerSince, forKey: .ownerSince)
        try c.encode(workingDaysLeft, forKey: .workingDaysLeft)
        try c.encode(rating, forKey: .rating)
    }
}

extension Components.Schemas.CaseDetail {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(kind, forKey: .kind)
        try c.encode(procedure, forKey: .procedure)
        try c.encode(title, forKey: .title)
        try c.encode(leadUnit, forKey: .leadUnit)
        try c.encode(owner, forKey: .owner)
        try c.encode(ownerName, forKey: .ownerName)
        try c.encode(status, forKey: .status)
        try c.encode(dueDate, forKey: .dueDate)
        try c.encode(openedAt, forKey: .openedAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(ownerSince, forKey: .ownerSince)
        try c.encode(workingDaysLeft, forKey: .workingDaysLeft)
        try c.encode(rating, forKey: .rating)
        try c.encode(timeline, forKey: .timeline)
        try c.encode(findings, forKey: .findings)
    }
}

extension Components.Schemas.Finding {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(detector, forKey: .detector)
        try c.encode(detectorName, forKey: .detectorName)
        try c.encode(_case, forKey: ._case)
        try c.encode(official, forKey: .official)
        try c.encode(unit, forKey: .unit)
        try c.encode(head, forKey: .head)
        try c.encode(severity, forKey: .severity)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(value, forKey: .value)
        try c.encode(limit, forKey: .limit)
        try c.encode(explanation, forKey: .explanation)
        try c.encode(explanationEn, forKey: .explanationEn)
        try c.encode(status, forKey: .status)
        try c.encode(response, forKey: .response)
        try c.encode(reviewer, forKey: .reviewer)
        try c.encode(reviewNote, forKey: .reviewNote)
        try c.encode(cause, forKey: .cause)
        try c.encode(protectedBy, forKey: .protectedBy)
        try c.encode(consequences, forKey: .consequences)
        try c.encode(observedAt, forKey: .observedAt)
        try c.encode(raisedAt, forKey: .raisedAt)
        try c.encode(raisedIndex, forKey: .raisedIndex)
    }
}

extension Components.Schemas.FindingConsequences {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decided, forKey: .decided)
        try c.encode(closed, forKey: .closed)
        try c.encode(remediationOwner, forKey: .remediationOwner)
        try c.encode(remediationDue, forKey: .remediationDue)
        try c.encode(remediationDoneAt, forKey: .remediationDoneAt)
        try c.encode(remediationStatus, forKey: .remediationStatus)
    }
}

extension Components.Schemas.InspectionRollup {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(form, forKey: .form)
        try c.encode(subjects, forKey: .subjects)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(fields, forKey: .fields)
        try c.encode(violations, forKey: .violations)
        try c.encode(concluded, forKey: .concluded)
        try c.encode(conclusionNumber, forKey: .conclusionNumber)
        try c.encode(conclusionDate, forKey: .conclusionDate)
        try c.encode(conclusionSigner, forKey: .conclusionSigner)
        try c.encode(conclusionSummary, forKey: .conclusionSummary)
    }
}

extension Components.Schemas.Unit {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(nameEn, forKey: .nameEn)
        try c.encode(kind, forKey: .kind)
        try c.encode(parent, forKey: .parent)
        try c.encode(code, forKey: .code)
        try c.encode(head, forKey: .head)
    }
}

extension Components.Schemas.CaseProof.cosignaturesPayloadPayload {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(witness, forKey: .witness)
        try c.encode(line, forKey: .line)
        try c.encode(valid, forKey: .valid)
    }
}

extension Components.Schemas.ProgrammeSummary {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(title, forKey: .title)
        try c.encode(leadUnit, forKey: .leadUnit)
        try c.encode(dueDate, forKey: .dueDate)
        try c.encode(summaryVi, forKey: .summaryVi)
        try c.encode(summaryEn, forKey: .summaryEn)
    }
}

extension Components.Schemas.RollupLine {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(agency, forKey: .agency)
        try c.encode(agencyName, forKey: .agencyName)
        try c.encode(assigned, forKey: .assigned)
        try c.encode(done, forKey: .done)
        try c.encode(submitted, forKey: .submitted)
        try c.encode(awaitingApproval, forKey: .awaitingApproval)
        try c.encode(inProgress, forKey: .inProgress)
        try c.encode(notStarted, forKey: .notStarted)
        try c.encode(cancelled, forKey: .cancelled)
        try c.encode(overdue, forKey: .overdue)
    }
}

extension Components.Schemas.OverdueTask {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(title, forKey: .title)
        try c.encode(agency, forKey: .agency)
        try c.encode(owner, forKey: .owner)
        try c.encode(ownerName, forKey: .ownerName)
        try c.encode(dueDate, forKey: .dueDate)
        try c.encode(workingDaysLate, forKey: .workingDaysLate)
    }
}

extension Components.Schemas.SubmissionRow {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(agency, forKey: .agency)
        try c.encode(agencyName, forKey: .agencyName)
        try c.encode(status, forKey: .status)
        try c.encode(owner, forKey: .owner)
        try c.encode(ownerName, forKey: .ownerName)
        try c.encode(dueDate, forKey: .dueDate)
        try c.encode(firstSent, forKey: .firstSent)
        try c.encode(late, forKey: .late)
        try c.encode(missing, forKey: .missing)
        try c.encode(returns, forKey: .returns)
        try c.encode(document, forKey: .document)
        try c.encode(figures, forKey: .figures)
    }
}

extension Components.Schemas.ServiceIndex {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(unit, forKey: .unit)
        try c.encode(name, forKey: .name)
        try c.encode(groups, forKey: .groups)
        try c.encode(total, forKey: .total)
        try c.encode(units, forKey: .units)
    }
}

extension Components.Schemas.ServiceIndexGroup {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(nameVi, forKey: .nameVi)
        try c.encode(nameEn, forKey: .nameEn)
        try c.encode(points, forKey: .points)
        try c.encode(measure, forKey: .measure)
        try c.encode(share, forKey: .share)
        try c.encode(base, forKey: .base)
        try c.encode(score, forKey: .score)
        try c.encode(source, forKey: .source)
        try c.encode(status, forKey: .status)
    }
}

extension Components.Schemas.ServiceIndexFigures {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unit, forKey: .unit)
        try c.encode(name, forKey: .name)
        try c.encode(settled, forKey: .settled)
        try c.encode(onTime, forKey: .onTime)
        try c.encode(late, forKey: .late)
        try c.encode(lateWithApology, forKey: .lateWithApology)
        try c.encode(repeatedSupplements, forKey: .repeatedSupplements)
        try c.encode(ratings, forKey: .ratings)
        try c.encode(satisfied, forKey: .satisfied)
        try c.encode(scores, forKey: .scores)
    }
}

extension Components.Schemas.ServiceIndexScore {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(share, forKey: .share)
        try c.encode(base, forKey: .base)
        try c.encode(score, forKey: .score)
    }
}
