/// A stored row that does not decode: the database was edited by hand or belongs to another
/// program.
package struct StoreRowError: Error, CustomStringConvertible {
    package let column: String

    package init(column: String) {
        self.column = column
    }

    package var description: String { "a stored row has an unreadable \(self.column)" }
}
