import Foundation
import Testing

@testable import Authz

@Suite struct PolicyTestSuiteTests {
    let world = """
        principals: [ann, bob]
        organizations:
          acme:
            members: {ann: admin, bob: viewer}
            teams:
              red: {bob: maintainer}
        resources:
          job1: {type: job, organization: acme, team: red, creator: ann}
        expected:
          ann:
            acme: [organization.read]
        """

    func run(_ text: String) throws -> PolicyTestReport {
        var report = PolicyTestReport()
        try PolicyTestSuite.parse(PolicySource(path: "t.yaml", contents: text)).run(against: Fixtures.defaultPolicy, into: &report)
        return report
    }

    /// The example suite of `policies/README.md`, read from the README itself: it passes
    /// against the shipped policy exactly as printed, so a reader can copy it and start there.
    @Test func theReadmeExamplePassesAsPrinted() throws {
        let readme = try String(contentsOf: Fixtures.policiesFolder.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Test suites").last)
        let example = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        var report = PolicyTestReport()
        try PolicyTestSuite.parse(PolicySource(path: "policies/README.md", contents: example)).run(against: Fixtures.defaultPolicy, into: &report)
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description))")
        #expect(report.summary == "183 passed, 0 failed")
    }

    /// Unlisted permissions are expected denied, so an under-specified suite fails, naming
    /// each case and the line of its expectation.
    @Test func namesEachFailingCase() throws {
        let report = try self.run(self.world)
        #expect(report.failures.count > 10)
        let first = try #require(report.failures.first { $0.permission == "organization.update" })
        #expect(first.description == "t.yaml:11: ann organization.update organization acme: expected denied, got allowed")
        let bobCancel = try #require(report.failures.first { $0.principal == "bob" && $0.permission == "job.cancel" })
        #expect(bobCancel.description == "t.yaml:1: bob job.cancel job job1: expected denied, got allowed")
        #expect(report.summary == "\(report.passed) passed, \(report.failures.count) failed")
    }

    @Test func expectedAllowedButDenied() throws {
        let text = self.world.replacingOccurrences(
            of: "    acme: [organization.read]",
            with: "    acme: [\"*\"]\n  bob:\n    job1: [job.read, job.cancel]"
        )
        let report = try self.run(text)
        let failure = try #require(report.failures.first { $0.principal == "ann" && $0.permission == "organization.delete" })
        #expect(failure.description == "t.yaml:11: ann organization.delete organization acme: expected allowed, got denied (no_grant)")
        #expect(!report.failures.contains { $0.principal == "bob" && $0.resource == "job job1" })
    }

    @Test func typosAreErrorsNotDenials() {
        let text = self.world
            .replacingOccurrences(of: "members: {ann: admin", with: "members: {anne: admin")
            .replacingOccurrences(of: "acme: [organization.read]", with: "acme: [organization.raed, job.cancel]")
        #expect(throws: PolicyError.self) { try self.run(text) }
        do {
            _ = try self.run(text)
        } catch let error as PolicyError {
            #expect(
                error.diagnostics.map(\.description) == [
                    "t.yaml:4: unknown principal 'anne' (list it under principals)",
                    "t.yaml:11: 'job.cancel' does not apply to a organization, so it can never be allowed on 'acme'",
                    "t.yaml:11: unknown permission 'organization.raed'",
                ]
            )
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
