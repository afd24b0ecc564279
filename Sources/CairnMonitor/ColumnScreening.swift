import CairnDrift

/// A column left out of the drift tests, and why.
public struct SkippedColumn: Sendable, Equatable {
    /// Column name.
    public var name: String
    /// Why it was not tested, for the report and the terminal.
    public var reason: String
}

/// Checks made on columns before they are tested: free text is not a category, and a column must
/// have the same type in both inputs.
public enum ColumnScreening {
    /// Share of distinct values above which a text column is free text rather than a category.
    public static let textUniqueShare = 0.95
    /// Fewest non-empty values before a column can be called free text.
    public static let textMinimumCount = 20

    /// Why a categorical column is (nearly) all unique values, or nil when it looks like a category.
    public static func freeTextReason(_ values: [String]) -> String? {
        let present = values.filter { !$0.isEmpty }
        guard present.count >= textMinimumCount else { return nil }
        let share = Double(Set(present).count) / Double(present.count)
        guard share >= textUniqueShare else { return nil }
        return "text — not tested: \(Int((share * 100).rounded(.down)))% of its values are unique, so it is not "
            + "a category; name a test for it with --test COLUMN=NAME to score it anyway"
    }

    /// The error for a column that is numeric on one side and text on the other, naming the first
    /// value that is not a number.
    public static func typeMismatch(
        name: String, numericSource: String, textSource: String, textValues: [String]
    ) -> DriftError {
        var detail = ""
        if let row = textValues.firstIndex(where: { !$0.isEmpty && Double($0) == nil }) {
            detail = ": data row \(row + 1) of \(textSource) has '\(textValues[row].prefix(60))'"
        }
        return DriftError.invalidParameter(
            "column '\(name)' is numeric in \(numericSource) but not in \(textSource)\(detail). Pass "
                + "--categorical \(name) to compare it as categories, or leave it out with --columns.")
    }
}
