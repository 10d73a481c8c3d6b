/// A stored row that does not decode: the database was edited by hand or belongs to another
/// program.
struct StoreRowError: Error, CustomStringConvertible {
    let column: String

    var description: String { "a stored row has an unreadable \(self.column)" }
}
