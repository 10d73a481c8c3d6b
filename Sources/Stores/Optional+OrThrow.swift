internal import Identity

/// A column whose text does not parse as its type is a row the store cannot read.
extension Optional {
    func orThrow(column: String) throws -> Wrapped {
        guard let self else { throw StoreRowError(column: column) }
        return self
    }
}
