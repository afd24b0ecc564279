import CairnCore
import CairnInference
import CairnServingCore
import Testing

@Suite struct NativeConversionTests {
    let signature = ModelSignature(
        inputs: [
            .init(name: "x", type: "double", required: true), .init(name: "n", type: "long", required: true),
            .init(name: "city", type: "string", required: true),
        ])

    @Test func signatureTypesTheColumnsAndNullIsNaN() throws {
        let builder = TableBuilder(signature: signature, modelInputs: nil, inputCount: 3)
        let frame = InputFrame(
            columns: ["x", "n", "city"],
            rows: [[.int(2), .int(7), .string("Oslo")], [.null, .double(3), .string("Rome")]])
        let table = try builder.table(for: .frame(frame))
        #expect(table.names == ["x", "n", "city"])
        guard case .double(let xs) = table.columns[0] else { Issue.record("x is not double"); return }
        #expect(xs[0] == 2 && xs[1].isNaN)
        #expect(table.columns[1] == .int64([7, 3]))
        #expect(table.columns[2] == .string(["Oslo", "Rome"]))
    }

    @Test func wrongKindsAreClientErrors() {
        let builder = TableBuilder(signature: signature, modelInputs: nil, inputCount: 3)
        let frame = InputFrame(columns: ["x", "n", "city"], rows: [[.string("abc"), .int(1), .string("a")]])
        #expect(throws: ScoringError.badRequest("Column 'x' must hold numbers, got 'abc'.")) {
            try builder.table(for: .frame(frame))
        }
        let fractional = InputFrame(columns: ["x", "n", "city"], rows: [[.int(1), .double(1.5), .string("a")]])
        #expect(throws: ScoringError.badRequest("Column 'n' must hold integers.")) {
            try builder.table(for: .frame(fractional))
        }
    }

    @Test func withoutSignatureTextMakesAStringColumn() throws {
        let builder = TableBuilder(signature: ModelSignature(), modelInputs: nil, inputCount: 2)
        let frame = InputFrame(columns: ["a", "b"], rows: [[.int(1), .string("u")], [.double(0.5), .int(3)]])
        let table = try builder.table(for: .frame(frame))
        #expect(table.columns[0] == .double([1, 0.5]))
        #expect(table.columns[1] == .string(["u", "3"]))
    }

    @Test func aTwoDimensionalListTakesTheModelsInputNames() throws {
        let builder = TableBuilder(signature: ModelSignature(), modelInputs: ["p", "q"], inputCount: 2)
        let input = ModelInput.tensor(
            format: "inputs", value: .array([.array([.int(1), .int(2)]), .array([.int(3), .int(4)])]))
        let table = try builder.table(for: input)
        #expect(table.names == ["p", "q"] && table.columns[1] == .double([2, 4]))
        #expect(throws: ScoringError.self) {
            try builder.table(for: .tensor(format: "inputs", value: .array([.int(1)])))
        }
    }

    @Test func arraysNestByShapeAndFloatsWidenLikeNumPy() {
        let out = ModelOutput.array(Tensor(shape: [2, 2], values: .float([0.1, 0.2, 0.3, 0.4])))
        #expect(
            out.predictions().value
                == .array([
                    .array([.double(Double(Float(0.1))), .double(Double(Float(0.2)))]),
                    .array([.double(Double(Float(0.3))), .double(Double(Float(0.4)))]),
                ]))
        #expect(
            ModelOutput.array(Tensor(shape: [3], values: .int64([1, 0, 2]))).predictions().value
                == .array([.int(1), .int(0), .int(2)]))
    }

    @Test func recordsAreOneObjectPerRowWithProbabilityMaps() {
        let out = ModelOutput.records([
            (name: "label", column: .values(Tensor(shape: [2], values: .int64([1, 0])))),
            (name: "probabilities", column: .maps(labels: .int64([0, 1]), probabilities: [0.25, 0.75, 0.5, 0.5])),
        ])
        #expect(
            out.predictions().value
                == .array([
                    .object(["label": .int(1), "probabilities": .object(["0": .double(0.25), "1": .double(0.75)])]),
                    .object(["label": .int(0), "probabilities": .object(["0": .double(0.5), "1": .double(0.5)])]),
                ]))
    }
}
