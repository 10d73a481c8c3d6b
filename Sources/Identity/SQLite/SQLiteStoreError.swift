/// A row that does not decode: the database was edited by hand or belongs to another program.
enum SQLiteStoreError: Error, CustomStringConvertible {
    case corruptRow(column: String)

    var description: String {
        switch self {
        case .corruptRow(let column): "a stored row has an unreadable \(column)"
        }
    }
}
