import Testing

@testable import CairnServingCore

@Test func shardsPartitionOrdinals() throws {
    let shards = try (0..<4).map { try Shard(parsing: "\($0)/4") }
    for ordinal in 0..<100 {
        #expect(shards.filter { $0.owns(ordinal) }.count == 1)
    }
    #expect((0..<10).filter(shards[1].owns) == [1, 5, 9])
    #expect(Shard.all.owns(7) && Shard.all.description == "0/1")
}

@Test(arguments: ["4/4", "-1/2", "1/0", "a/b", "1", "1/2/3", ""])
func badShardsAreRefused(_ text: String) {
    #expect(throws: ScoringError.self) { try Shard(parsing: text) }
}
