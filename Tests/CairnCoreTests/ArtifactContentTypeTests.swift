import Testing

@testable import CairnCore

@Suite struct ArtifactContentTypeTests {
    @Test(arguments: [
        ("model/MLmodel", "text/plain"), ("MLproject", "application/octet-stream"), ("mlproject", "text/plain"),
        ("a.json", "text/plain"),
        ("conda.yaml", "text/plain"), ("data.csv", "text/plain"), ("train.py", "text/plain"),
        ("UP.TXT", "text/plain"), ("plot.png", "image/png"), ("report.pdf", "application/pdf"),
        ("page.html", "text/html"), ("model.skops", "application/octet-stream"),
        ("mlmodel", "application/octet-stream"), ("x.parquet", "application/octet-stream"),
        ("noext", "application/octet-stream"), (".hidden", "application/octet-stream"),
    ])
    func contentType(name: String, expected: String) {
        #expect(ArtifactContentType.of(name) == expected)
    }

    @Test func dispositionQuotesOnlyWhenNeeded() {
        #expect(ArtifactContentType.disposition("sub/MLmodel") == "attachment; filename=MLmodel")
        #expect(ArtifactContentType.disposition("a b.csv") == "attachment; filename=\"a b.csv\"")
        #expect(ArtifactContentType.disposition("q\"x.txt") == "attachment; filename=\"q\\\"x.txt\"")
        #expect(
            ArtifactContentType.disposition("é.txt") == "attachment; filename=.txt; filename*=UTF-8''%C3%A9.txt")
    }
}
