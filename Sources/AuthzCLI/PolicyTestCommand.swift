import ArgumentParser
import Authz
import Server

struct PolicyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the suites in DIR/tests against the policy in DIR; every failing case is named.",
        discussion: """
            Each suite describes principals, organizations, teams and resources, and for each \
            principal the permissions expected to be allowed on each resource. Every other \
            (principal, permission, resource) combination is expected to be denied.
            """
    )

    @Argument(help: "The policy folder (default: $AUTHZ_POLICIES, else ./policies).")
    var directory: String?

    func run() async throws {
        let folder = PolicyDirectory(path: PolicyFolder.resolve(self.directory))
        var report = PolicyTestReport()
        do {
            let policy = try folder.load()
            let suites = try folder.testSources()
            guard !suites.isEmpty else {
                printError("\(folder.path)/tests: no test suites (*.yaml) found")
                throw ExitCode.failure
            }
            for source in suites {
                let suite = try PolicyTestSuite.parse(source)
                try suite.run(against: policy, into: &report)
            }
        } catch let error as PolicyError {
            printError(error.description)
            throw ExitCode.failure
        }
        for failure in report.failures {
            print("FAIL \(failure)")
        }
        print(report.summary)
        if !report.failures.isEmpty {
            throw ExitCode.failure
        }
    }
}
