/// One prediction as the monitor needs it, filled in place for every line (no per-line tree).
struct ScannedPrediction {
    var timestampMillis: Int64 = 0
    var requestId = ""
    var requestIdBytes: [UInt8] = []
    var row = 0
    var status = 200
    var latencyMillis = 0.0
    var output: Outcome?
    /// Per monitored feature: the number (NaN when missing or not a number).
    var numbers: [Double] = []
    /// Per monitored feature: the text (empty when missing); filled for categorical features only.
    var texts: [String] = []

    mutating func reset(features: Int) {
        if numbers.count != features {
            numbers = Array(repeating: .nan, count: features)
            texts = Array(repeating: "", count: features)
        } else {
            for i in 0..<features { numbers[i] = .nan }
            for i in texts.indices where !texts[i].isEmpty { texts[i] = "" }
        }
        output = nil
        status = 200
        row = 0
        latencyMillis = 0
        timestampMillis = 0
    }
}
