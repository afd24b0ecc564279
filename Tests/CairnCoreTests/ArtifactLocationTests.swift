import Testing

@testable import CairnCore

@Suite struct ArtifactLocationTests {
    @Test(arguments: [
        ("rel/dir", "/srv/rel/dir"), ("./rel2", "/srv/rel2"), ("rel3/", "/srv/rel3"), ("a/../b", "/srv/b"),
        ("file:rel4", "file:///srv/rel4"), ("/abs/x", "/abs/x"), ("file:///abs/y", "file:///abs/y"),
        ("s3://b/p", "s3://b/p"), ("mlflow-artifacts:/custom", "mlflow-artifacts:/custom"),
    ])
    func resolve(given: String, expected: String) {
        #expect(ArtifactLocation.resolve(given, workingDirectory: "/srv") == expected)
    }
}
