import ArgumentParser
internal import NIOCore
internal import NIOPosix
import Server

@main
struct AuthzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authz",
        abstract: "A multi-tenant RBAC authorization service.",
        version: ServiceVersion.current,
        subcommands: [ServeCommand.self, MigrateCommand.self, BootstrapCommand.self, PolicyCommand.self, AuditCommand.self]
    )

    /// Swift concurrency runs on NIO's event loops, the threads that already hold the
    /// connections: a request no longer hops from an event loop to the cooperative pool and
    /// back. Blocking work (argon2id, SQLite) has pools of its own. Installed first thing, on
    /// the main thread, as NIO requires.
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Self.main(nil)
    }
}
