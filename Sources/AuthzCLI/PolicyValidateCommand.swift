import ArgumentParser
import Authz
import Server

struct PolicyValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every policy file in DIR and report all problems as file:line: message."
    )

    @Argument(help: "The policy folder (default: $AUTHZ_POLICIES, else ./policies).")
    var directory: String?

    func run() async throws {
        let folder = PolicyDirectory(path: PolicyFolder.resolve(self.directory))
        do {
            let policy = try folder.load()
            let roles = policy.types.reduce(0) { $0 + $1.roles.count }
            print("\(folder.path): valid — \(policy.types.count) resource types, \(roles) roles, \(policy.permissionNames.count) permissions")
        } catch let error as PolicyError {
            printError(error.description)
            printError("\(error.diagnostics.count) problem\(error.diagnostics.count == 1 ? "" : "s") found")
            throw ExitCode.failure
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}
