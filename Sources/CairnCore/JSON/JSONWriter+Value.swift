extension JSONWriter {
    /// Writes a parsed JSON value back out (NaN and infinities as MLflow's strings).
    public mutating func value(_ json: JSONValue) {
        switch json {
        case .null: raw("null")
        case .bool(let b): value(b)
        case .int(let i): value(i)
        case .double(let d): value(d)
        case .string(let s): value(s)
        case .array(let items):
            array { w in for item in items { w.value(item) } }
        case .object(let fields):
            object { w in
                for key in fields.keys.sorted() {
                    w.key(key)
                    w.value(fields[key]!)
                }
            }
        }
    }
}
