import ArgumentParser

@main
struct AuthzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authz",
        abstract: "A multi-tenant RBAC authorization service.",
        subcommands: [ServeCommand.self, MigrateCommand.self, PolicyCommand.self]
    )
}
