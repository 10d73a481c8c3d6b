import Foundation

/// A value bound to a statement, typed, so a null still has a type (PostgreSQL cannot infer
/// one for `$1 IS NULL`), and stored the way each database keeps it (`SQLDialect`).
enum SQLBind: Sendable {
    case id(UUID?)
    case text(String?)
    case integer(Int64?)
    case time(Date?)
    case flag(Bool?)
    case bytes([UInt8]?)
}
