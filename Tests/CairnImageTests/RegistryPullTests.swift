import CairnCore
import Testing

@testable import CairnImage

@Suite struct RegistryPullTests {
    let index = Array(
        """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":10,
          "digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111",
          "platform":{"os":"linux","architecture":"arm64"}},
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":20,
          "digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222",
          "platform":{"os":"linux","architecture":"amd64"}}]}
        """.utf8)

    @Test func picksTheManifestOfThePlatform() throws {
        let reference = try ImageReference(parsing: "127.0.0.1:5000/py/base:3.11")
        let amd = try RegistryClient.platformManifest(
            in: index, for: .init(os: "linux", architecture: "amd64"), reference: reference)
        #expect(amd.digest.hex.hasPrefix("2222") && amd.size == 20)
        let arm = try RegistryClient.platformManifest(
            in: index, for: .init(os: "linux", architecture: "arm64"), reference: reference)
        #expect(arm.digest.hex.hasPrefix("1111"))
    }

    @Test func namesWhatAnIndexOffersWhenThePlatformIsMissing() throws {
        let reference = try ImageReference(parsing: "127.0.0.1:5000/py/base:3.11")
        #expect {
            _ = try RegistryClient.platformManifest(
                in: index, for: .init(os: "linux", architecture: "s390x"), reference: reference)
        } throws: { error in
            (error as? ImageError)?.description.contains("offers linux/arm64, linux/amd64") == true
        }
        #expect(throws: ImageError.self) {
            _ = try RegistryClient.platformManifest(in: Array("{}".utf8), for: .host, reference: reference)
        }
    }
}
