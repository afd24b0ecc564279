import Testing

@testable import CairnMonitor

@Test func monitorPlaceholder() { #expect(1 == 1) }
