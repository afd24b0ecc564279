import CairnCore

/// The state of the runs table as kept in the URL: filter, order, columns, page and grouping.
struct RunsView: Sendable {
    static let pageSize = 50
    static let defaultOrder = "attributes.start_time DESC"

    var experimentId: String
    var filterText: String
    var orderText: String
    var columns: [RunColumn]
    /// How the columns were picked: chosen in the URL, or the experiment's defaults.
    var columnChoice: ColumnChoice
    var page: Int
    var flat: Bool

    /// Reads the view from the query string; a malformed page number is a bad request.
    init(experimentId: String, query: QueryString) throws(MlflowError) {
        self.experimentId = experimentId
        filterText = query["filter"] ?? ""
        orderText = query["order"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultOrder
        var seen = Set<RunColumn>()
        columns = query.all("col").compactMap(RunColumn.init).filter { seen.insert($0).inserted }
        if query["cols"] == "default" {
            columnChoice = .reset
        } else if !columns.isEmpty || query["cols"] == "chosen" {
            columnChoice = .chosen
        } else {
            columnChoice = .defaults
        }
        flat = query["flat"] == "1"
        if let p = query["p"], !p.isEmpty {
            guard let n = Int(p), n >= 1, n <= 1_000_000 else {
                throw .invalid("Invalid page number '\(p)': use a whole number from 1.")
            }
            page = n
        } else {
            page = 1
        }
    }

    /// The URL of this view with some parts changed.
    func url(order: String? = nil, page: Int? = nil, flat: Bool? = nil, columns: [RunColumn]? = nil) -> String {
        let order = order ?? orderText
        var params: [(String, String?)] = [("filter", filterText)]
        params.append(("order", order == Self.defaultOrder ? nil : order))
        if let columns {
            params.append(("cols", "chosen"))
            for c in columns { params.append(("col", c.spec)) }
        } else if columnChoice == .chosen {
            params.append(("cols", "chosen"))
            for c in self.columns { params.append(("col", c.spec)) }
        }
        if flat ?? self.flat { params.append(("flat", "1")) }
        let p = page ?? 1
        if p > 1 { params.append(("p", String(p))) }
        return QueryString.url("/experiments/" + QueryString.encode(experimentId), params)
    }

    /// The hidden inputs that carry the view through a GET form, except the listed names.
    func hiddenInputs(except: Set<String>) -> Html {
        var out: Html = ""
        if !except.contains("filter"), !filterText.isEmpty {
            out += "<input type=\"hidden\" name=\"filter\" value=\"\(filterText)\">"
        }
        if !except.contains("order"), orderText != Self.defaultOrder {
            out += "<input type=\"hidden\" name=\"order\" value=\"\(orderText)\">"
        }
        if !except.contains("col"), columnChoice == .chosen {
            out += "<input type=\"hidden\" name=\"cols\" value=\"chosen\">"
            for c in columns { out += "<input type=\"hidden\" name=\"col\" value=\"\(c.spec)\">" }
        }
        if !except.contains("flat"), flat { out += "<input type=\"hidden\" name=\"flat\" value=\"1\">" }
        return out
    }

    /// The query-string part that records the chosen columns, which the page script remembers per experiment.
    var columnQuery: String {
        String(QueryString.url("", [("cols", "chosen")] + columns.map { ("col", $0.spec) }).dropFirst())
    }

    /// The direction the table is sorted by `key`, if it is the order key (nil otherwise).
    func sortDirection(of key: String) -> Bool? {
        guard let current = try? RunOrderClause.parseRun(orderText),
            let column = try? RunOrderClause.parseRun(key), current.field == column.field
        else { return nil }
        return current.ascending
    }
}

/// How the runs table's columns were picked.
enum ColumnChoice: String, Sendable {
    /// Chosen in the URL (`col=…`, or `cols=chosen` for none).
    case chosen
    /// Nothing in the URL: the experiment's metrics and the params that vary.
    case defaults
    /// `cols=default`: the defaults, and the remembered choice is forgotten.
    case reset
}
