import BuckStopDomain

extension Layout {
    /// An inspection field's name in the page's language (the rulebook's row), its code when the rulebook no longer has it.
    func fieldName(_ code: String) -> String {
        guard let row = state.live.rulebook.inspectionFields.first(where: { $0.code == code }) else { return code }
        return lang.t(row.nameVi, row.nameEn)
    }
}
