import CairnCore
import CairnServiceKit
import CairnServingCore
import Foundation
import Hummingbird

extension ScoringRoutes {
    func registerOpenInference(on router: Router<BasicRequestContext>) {
        router.get("/v2") { _, _ in
            var w = JSONWriter()
            w.object { w in
                w.field("name", "cairn")
                w.field("version", version)
                w.key("extensions")
                w.array { _ in }
            }
            return Response.json(w.bytes)
        }
        router.get("/v2/health/live") { _, _ in Response.json(Array(#"{"live":true}"#.utf8)) }
        router.get("/v2/health/ready") { _, _ in Response.json(Array(#"{"ready":true}"#.utf8)) }
        router.get("/v2/models/:name") { _, context in
            try metadata(name: context.parameters.require("name"), version: nil)
        }
        router.get("/v2/models/:name/versions/:version") { _, context in
            try metadata(name: context.parameters.require("name"), version: context.parameters.require("version"))
        }
        router.get("/v2/models/:name/ready") { _, context in
            try ready(name: context.parameters.require("name"), version: nil)
        }
        router.get("/v2/models/:name/versions/:version/ready") { _, context in
            try ready(name: context.parameters.require("name"), version: context.parameters.require("version"))
        }
        router.post("/v2/models/:name/infer") { request, context in
            try await infer(request, name: context.parameters.require("name"), version: nil)
        }
        router.post("/v2/models/:name/versions/:version/infer") { request, context in
            try await infer(
                request, name: context.parameters.require("name"), version: context.parameters.require("version"))
        }
    }

    /// The slot serving `name` (and `version`), or a 404 in the protocol's shape.
    func slot(name: String, version: String?) throws -> ModelSlot {
        let slots = deployment.slots.filter { $0.model.name == name }
        guard !slots.isEmpty else {
            throw PlainError(
                .notFound, "Model '\(name)' is not served here (serving \(deployment.primary.model.name)).")
        }
        guard let version else { return slots.first { $0.role == .primary } ?? slots[0] }
        guard let slot = slots.first(where: { $0.model.version == version }) else {
            throw PlainError(.notFound, "Version \(version) of model '\(name)' is not served here.")
        }
        return slot
    }

    func ready(name: String, version: String?) throws -> Response {
        let slot = try slot(name: name, version: version)
        var w = JSONWriter()
        w.object { w in
            w.field("name", slot.model.name)
            w.field("ready", true)
        }
        return Response.json(w.bytes)
    }

    func metadata(name: String, version: String?) throws -> Response {
        let slot = try slot(name: name, version: version)
        let signature = slot.runtime.signature
        var w = JSONWriter()
        w.object { w in
            w.field("name", slot.model.name)
            w.key("versions")
            w.array { w in for s in deployment.slots where s.model.name == name { w.value(s.model.version) } }
            w.field("platform", slot.runtimeName == "native" ? "cairn_native" : "mlflow_pyfunc")
            w.key("inputs")
            w.array { w in
                for c in signature.inputs {
                    w.object { w in
                        w.field("name", c.name ?? "")
                        w.field("datatype", Self.datatype(c.type))
                        w.key("shape")
                        w.array { $0.value(Int64(-1)) }
                    }
                }
            }
            w.key("outputs")
            w.array { w in
                let outputs =
                    signature.outputs.isEmpty
                    ? [ModelSignature.Column(name: "predict", type: "", required: true)] : signature.outputs
                for c in outputs {
                    w.object { w in
                        w.field("name", c.name ?? "predict")
                        w.field("datatype", Self.datatype(c.type))
                        w.key("shape")
                        w.array { $0.value(Int64(-1)) }
                    }
                }
            }
        }
        return Response.json(w.bytes, headers: [Self.modelHeader: slot.label])
    }

    func infer(_ request: Request, name: String, version: String?) async throws -> Response {
        let target = try slot(name: name, version: version)
        let requestId = request.headers[Self.callerRequestId] ?? UUID().uuidString.lowercased()
        let body: ByteBuffer
        do {
            body = try await request.readBody(limit: maxBodyBytes)
        } catch let error as BodyTooLarge {
            throw PlainError(.contentTooLarge, error.description)
        }
        let parsed: OpenInference.InferRequest
        do {
            parsed = try OpenInference.parseInfer(
                Array(buffer: body), signatureColumns: target.runtime.signature.columnNames)
        } catch {
            throw PlainError(.init(code: error.status), error.message)
        }
        let answer = await deployment.answer(
            ScoringRequest(input: .frame(parsed.frame), params: parsed.params),
            routingKey: request.headers[Self.routingKeyHeader], requestId: parsed.id ?? requestId,
            pinnedVersion: version)
        let h = headers(model: answer.slot.label, requestId: parsed.id ?? requestId)
        switch answer.result {
        case .success(let predictions):
            var w = JSONWriter(capacity: 256)
            OpenInference.writeInferResponse(
                &w, model: answer.slot.model.name, version: answer.slot.model.version, id: parsed.id,
                predictions: predictions, requestedOutputs: parsed.outputs)
            return Response.json(w.bytes, headers: h)
        case .failure(let error):
            var w = JSONWriter()
            w.object { $0.field("error", error.message) }
            return Response.json(w.bytes, status: .init(code: error.status), headers: h)
        }
    }

    /// The protocol's datatype for an MLflow column type.
    static func datatype(_ mlflowType: String) -> String {
        switch mlflowType {
        case "double": "FP64"
        case "float": "FP32"
        case "long": "INT64"
        case "integer": "INT32"
        case "boolean": "BOOL"
        default: "BYTES"
        }
    }
}
