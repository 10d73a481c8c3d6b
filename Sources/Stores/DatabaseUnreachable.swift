/// A PostgreSQL server that did not answer, or refused the connection, at start-up: said in a
/// sentence an operator can act on, rather than after the pool's minute of retries.
public struct DatabaseUnreachable: Error, CustomStringConvertible {
    public let description: String
}
