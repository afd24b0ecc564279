import Testing

@testable import CairnServer

@Suite struct EndpointAccessTests {
    /// Every endpoint has a stated requirement, and the table names no endpoint that does not exist, so a
    /// new endpoint cannot silently fall back to "administrators only" or keep a stale rule.
    @Test func everyEndpointHasARequirement() {
        var routes = Set<String>()
        for (path, methods, _) in APIRoutes.endpoints {
            for method in methods { routes.insert("\(method.rawValue) \(path)") }
        }
        #expect(routes.subtracting(EndpointAccess.table.keys).sorted() == [])
        #expect(Set(EndpointAccess.table.keys).subtracting(routes).sorted() == [])
        for key in AuditedEndpoint.table.keys { #expect(routes.contains(key), "\(key)") }
    }
}
