import BuckStopDomain

/// The domain's case kinds, re-exported under one name so detectors do not depend on how a log spells them.
public typealias CaseKindCode = CaseKind
