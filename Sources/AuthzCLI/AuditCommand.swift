import ArgumentParser

/// `authz audit ...`: the audit log from the command line.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the audit log.",
        subcommands: [AuditVerifyCommand.self]
    )
}
