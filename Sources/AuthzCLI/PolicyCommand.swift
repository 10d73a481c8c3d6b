import ArgumentParser

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate policy files and run their test suites.",
        subcommands: [PolicyValidateCommand.self, PolicyTestCommand.self]
    )
}
