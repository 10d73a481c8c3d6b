import Foundation

/// Where the store lives, from `AUTHZ_DATABASE_URL`: `sqlite://PATH` (relative paths are
/// relative to the working directory; `sqlite:///abs/path` for absolute ones) or
/// `postgres://user:password@host:port/database`.
public enum DatabaseURL: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, username: String, password: String?, database: String)

    public init(parsing text: String) throws(IdentityError) {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .invalid(field: "AUTHZ_DATABASE_URL", message: "sqlite:// needs a file path") }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw .invalid(field: "AUTHZ_DATABASE_URL", message: "expected sqlite://PATH or postgres://user:password@host:port/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, let username = components.user, !username.isEmpty else {
            throw .invalid(field: "AUTHZ_DATABASE_URL", message: "a postgres:// URL needs a user and a database")
        }
        self = .postgres(
            host: host,
            port: components.port ?? 5432,
            username: username.removingPercentEncoding ?? username,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database
        )
    }

    /// Never shows the password, so the URL can be logged.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let host, let port, let username, let password, let database):
            "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        }
    }
}
