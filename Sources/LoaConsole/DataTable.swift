/// A table whose every cell carries its column's heading (`data-label`): on a
/// wide screen it is an ordinary table; on a phone (console.css) each row stacks
/// into a card with the headings beside the values, so nothing needs sideways
/// scrolling and nothing is cut off.
struct DataTable {
    /// One row: its cells in column order, and attributes for its `<tr>` (e.g. `data-state`).
    struct Row {
        var cells: [HTML]
        var attributes: HTML = ""
    }

    /// The column headings; an empty heading leaves its cells unlabelled on a phone.
    var headings: [String]
    var rows: [Row]
    /// Extra classes for the `<table>`.
    var classes = ""

    init(headings: [String], rows: [Row], classes: String = "") {
        self.headings = headings
        self.rows = rows
        self.classes = classes
    }

    /// Rows from plain cell lists.
    init(headings: [String], cells: [[HTML]], classes: String = "") {
        self.init(headings: headings, rows: cells.map { Row(cells: $0) }, classes: classes)
    }

    var html: HTML {
        let head = headings.map { "<th scope=\"col\">\($0)</th>" as HTML }
        let body = rows.map { row -> HTML in
            let cells = row.cells.enumerated().map { index, cell -> HTML in
                let label = index < headings.count ? headings[index] : ""
                return label.isEmpty ? "<td>\(cell)</td>" : "<td data-label=\"\(label)\">\(cell)</td>"
            }
            return "<tr\(row.attributes)>\(cells)</tr>"
        }
        return "<table class=\"data\(classes.isEmpty ? "" : " \(classes)")\"><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }
}
