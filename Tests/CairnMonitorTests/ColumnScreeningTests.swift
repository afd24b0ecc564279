import CairnDrift
import Foundation
import Testing

@testable import CairnMonitor

@Suite struct ColumnScreeningTests {
    func csv(_ text: String) throws -> DataTable { try CSVReader.parse(Data(text.utf8)) }

    func table(rows: Int, comment: (Int) -> String, color: (Int) -> String) throws -> DataTable {
        try csv(
            "x,comment,color\n" + (0..<rows).map { "\($0 % 7),\(comment($0)),\(color($0))" }.joined(separator: "\n"))
    }

    @Test func freeTextIsReportedNotScored() throws {
        let reference = try table(rows: 60, comment: { "note number \($0)" }, color: { ["red", "blue"][$0 % 2] })
        let current = try table(rows: 60, comment: { "other remark \($0)" }, color: { ["red", "blue"][$0 % 2] })
        let report = try DriftRunner.run(reference: reference, current: current, options: DriftOptions())
        #expect(report.result.columns.map(\.name) == ["x", "color"])
        #expect(report.skipped.map(\.name) == ["comment"])
        #expect(report.skipped.first?.reason.hasPrefix("text — not tested") == true)
        let json = String(decoding: ReportJSON.data(report), as: UTF8.self)
        #expect(json.contains("skipped_columns"))
        // Asked for explicitly, it is scored as a category.
        let forced = try DriftRunner.run(
            reference: reference, current: current, options: DriftOptions(columnTests: ["comment": .chisquare]))
        #expect(forced.result.columns.map(\.name).contains("comment"))
        #expect(forced.skipped.isEmpty)
    }

    @Test func aRealCategoryWithFewValuesIsStillTested() throws {
        #expect(ColumnScreening.freeTextReason((0..<100).map { ["a", "b", "c"][$0 % 3] }) == nil)
        #expect(ColumnScreening.freeTextReason((0..<10).map { "u\($0)" }) == nil)
        #expect(ColumnScreening.freeTextReason((0..<100).map { "u\($0)" }) != nil)
    }

    @Test func typeMismatchNamesTheRowAndValueAndSuggestsFlags() throws {
        let reference = try csv("age,v\n30,1\n40,2\n50,3\n")
        let current = try csv("age,v\n31,1\n41,2\nn/a,3\n")
        do {
            _ = try DriftRunner.run(
                reference: reference, current: current, options: DriftOptions(), referenceSource: "ref.csv",
                currentSource: "cur.csv")
            Issue.record("a column with two types was compared")
        } catch let error as DriftError {
            let text = error.description
            #expect(text.contains("column 'age' is numeric in ref.csv but not in cur.csv"))
            #expect(text.contains("data row 3 of cur.csv has 'n/a'"))
            #expect(text.contains("--categorical age"))
            #expect(text.contains("--columns"))
        }
    }
}
