/// The operator table: which ONNX operators the interpreter implements and the kernel for each.
enum ONNXOperators {
    /// Operators of the default domain (`ai.onnx`).
    static let standard: Set<String> = [
        "Abs", "Add", "ArgMax", "Cast", "Concat", "Div", "Exp", "Flatten", "Gather", "Gemm", "Identity", "Log",
        "MatMul", "Mul", "Neg", "ReduceSum", "Relu", "Reshape", "Shape", "Sigmoid", "Softmax", "Sqrt", "Squeeze",
        "Sub", "Tanh", "Unsqueeze",
    ]
    /// Operators of the `ai.onnx.ml` domain.
    static let machineLearning: Set<String> = [
        "ArrayFeatureExtractor", "Binarizer", "Imputer", "LabelEncoder", "LinearClassifier", "LinearRegressor",
        "Normalizer", "OneHotEncoder", "Scaler", "TreeEnsembleClassifier", "TreeEnsembleRegressor", "ZipMap",
    ]

    /// Compiles one node; throws ``InferenceError/unsupported(_:)`` naming an operator outside the subset.
    static func kernel(for c: ONNXNodeContext) throws(InferenceError) -> any ONNXKernel {
        if c.node.domain == "ai.onnx.ml" {
            switch c.node.opType {
            case "TreeEnsembleRegressor": return try TreeEnsembleKernel(regressor: c)
            case "TreeEnsembleClassifier": return try TreeEnsembleKernel(classifier: c)
            case "LinearRegressor": return try LinearRegressorKernel(c)
            case "LinearClassifier": return try LinearClassifierKernel(c)
            case "Scaler": return try ScalerKernel(c)
            case "Normalizer": return try NormalizerKernel(c)
            case "Imputer": return try ImputerKernel(c)
            case "Binarizer": return BinarizerKernel(threshold: c.float("threshold", 0))
            case "OneHotEncoder": return try OneHotEncoderKernel(c)
            case "ArrayFeatureExtractor": return ArrayFeatureExtractorKernel()
            case "ZipMap": return try ZipMapKernel(c)
            case "LabelEncoder": return try LabelEncoderKernel(c)
            default: break
            }
        } else if c.node.domain.isEmpty {
            switch c.node.opType {
            case "Add", "Sub", "Mul", "Div": return try BinaryKernel(c)
            case "Relu", "Sigmoid", "Tanh", "Abs", "Neg", "Exp", "Log", "Sqrt": return try UnaryKernel(c)
            case "Identity": return IdentityKernel()
            case "Gemm": return try GemmKernel(c)
            case "MatMul": return try MatMulKernel(c)
            case "Softmax": return try SoftmaxKernel(c)
            case "ArgMax": return try ArgMaxKernel(c)
            case "ReduceSum": return try ReduceSumKernel(c)
            case "Cast": return try CastKernel(c)
            case "Concat": return try ConcatKernel(c)
            case "Reshape": return try ReshapeKernel(c)
            case "Flatten": return try FlattenKernel(c)
            case "Squeeze", "Unsqueeze": return try SqueezeKernel(c)
            case "Shape": return ShapeKernel()
            case "Gather": return try GatherKernel(c)
            default: break
            }
        }
        let domain = c.node.domain.isEmpty ? "ai.onnx" : c.node.domain
        throw .unsupported("ONNX operator \(c.node.opType) (domain \(domain)) is not supported by the native runtime")
    }
}
