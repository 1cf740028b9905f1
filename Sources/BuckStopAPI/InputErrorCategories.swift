import BuckStopDomain

/// Input refused before the domain sees it: malformed, not a refusal of its meaning.
extension APIRequestError: CategorizedError {
    public var category: FailureCategory { .invalidInput }
}

extension ActionInput.Problem: CategorizedError {
    public var category: FailureCategory { .invalidInput }
}
