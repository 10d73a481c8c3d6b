import ArgumentParser
import Foundation

/// The database every command that needs one reads: `--database-url`, else
/// `AUTHZ_DATABASE_URL`, else the embedded default (docs/API.md §6).
struct DatabaseOptions: ParsableArguments {
    static let defaultURL = "sqlite://.data/authz.sqlite"

    @Option(
        name: .customLong("database-url"),
        help: "sqlite://PATH or postgres://user:password@host:port/database (env: AUTHZ_DATABASE_URL)"
    )
    var url: String = ProcessInfo.processInfo.environment["AUTHZ_DATABASE_URL"] ?? Self.defaultURL
}
