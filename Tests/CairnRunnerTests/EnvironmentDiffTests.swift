import CairnCore
import Testing

@testable import CairnRunner

@Suite struct EnvironmentDiffTests {
    @Test func freezeLinesAndNameNormalisation() {
        let set = PackageSet(
            freeze: """
                # comment
                Scikit_Learn==1.9.1
                numpy==2.4.6
                mypkg @ file:///src/mypkg
                -e git+https://example.com/repo.git@abc#egg=editable_pkg

                """)
        #expect(set["scikit-learn"] == "1.9.1")
        #expect(set["SCIKIT.LEARN"] == "1.9.1")
        #expect(set.requirements["mypkg"]?.isPinned == false)
        #expect(set.requirements["editable-pkg"]?.isPinned == false)
        #expect(set.sorted.filter(\.isPinned).map(\.line) == ["numpy==2.4.6", "Scikit_Learn==1.9.1"])
    }

    @Test func differencesAreNamed() {
        let diff = EnvironmentDiff(
            recordedPython: "3.11.7", currentPython: "3.12.1",
            recorded: PackageSet(freeze: "scikit-learn==1.9.1\ntqdm==4.66.0\nnumpy==2.4.6\n"),
            current: PackageSet(freeze: "scikit_learn==1.10.0\nnumpy==2.4.6\nrich==13.0.0\n"))
        #expect(
            diff.lines == [
                "Python 3.11.7 → 3.12.1", "scikit-learn 1.9.1 → 1.10.0", "- tqdm 4.66.0 (recorded, not installed now)",
                "+ rich 13.0.0 (installed now, not recorded)",
            ])
        #expect(diff.packageCount == 3)
        let same = EnvironmentDiff(
            recordedPython: "3.11.7", currentPython: "3.11.7", recorded: PackageSet(freeze: "a==1\n"),
            current: PackageSet(freeze: "A==1\n"))
        #expect(same.isEmpty)
    }

    @Test func verdicts() {
        let ok = MetricDifference(key: "acc", original: 0.9, reproduced: 0.9, matches: true)
        let off = MetricDifference(key: "loss", original: 0.5, reproduced: 0.75, matches: false)
        let empty = EnvironmentDiff(
            recordedPython: nil, currentPython: nil, recorded: PackageSet(freeze: ""), current: PackageSet(freeze: ""))
        #expect(
            ReproductionVerdict.line(codeRebuilt: true, dataChanged: false, environment: empty, metrics: [ok])
                == "identical code, data and environment: metrics identical")
        let changed = EnvironmentDiff(
            recordedPython: "3.11", currentPython: "3.11", recorded: PackageSet(freeze: "a==1\nb==1\n"),
            current: PackageSet(freeze: "a==2\nb==2\n"))
        #expect(
            ReproductionVerdict.line(codeRebuilt: true, dataChanged: true, environment: changed, metrics: [ok, off])
                == "data changed; environment differed in 2 packages: 1 of 2 metrics differ (largest difference 0.25)")
    }
}
