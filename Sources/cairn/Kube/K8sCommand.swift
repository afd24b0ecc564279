import ArgumentParser

/// `cairn k8s`: Kubernetes manifests for models and Cairn's services.
struct K8sCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8s",
        abstract: "Write Kubernetes manifests for a model service, batch scoring, or Cairn's services.",
        subcommands: [K8sManifestsCommand.self])
}
