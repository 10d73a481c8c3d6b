import ArgumentParser
internal import Foundation
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
    ///
    /// `AUTHZ_EVENT_LOOPS` sets how many event loop threads there are, before anything starts
    /// them (so it cannot be a flag). NIO counts the machine's cores and ignores the CPUs a
    /// process is pinned to (`taskset`, cpusets), so a server given one core would otherwise
    /// time-slice two loops on it.
    static func main() async {
        if let value = ProcessInfo.processInfo.environment["AUTHZ_EVENT_LOOPS"] {
            guard let loops = Int(value), (1...1024).contains(loops) else {
                Self.exit(withError: ValidationError("AUTHZ_EVENT_LOOPS must be a number of threads from 1 to 1024, not \"\(value)\""))
            }
            NIOSingletons.groupLoopCountSuggestion = loops
        }
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Self.main(nil)
    }
}
