import Foundation

extension PolicyTestSuite {
    /// Builds the suite's world as a snapshot, checks every principal × resource × applicable
    /// permission, and adds the outcome to `report`. Names the world or the expectations get
    /// wrong are errors, not failures: a typo must not pass as "expected denied".
    public func run(against policy: Policy, into report: inout PolicyTestReport) throws(PolicyError) {
        var world = TestWorld(policy: policy, file: self.file)
        world.declare(self)
        let expected = world.expectations(self)
        guard world.diagnostics.isEmpty else { throw PolicyError(world.diagnostics) }
        let snapshot: AuthzSnapshot
        do {
            snapshot = try AuthzSnapshot(policy: policy).applying(world.changes, revision: 1)
        } catch {
            throw PolicyError([PolicyDiagnostic(SourceLocation(file: self.file, line: 1), "the world cannot be built: \(error)")])
        }

        for principal in self.principals {
            guard let subject = world.principals[principal.value] else { continue }
            for target in world.targets {
                let type = policy.type(target.type)
                let key = TestWorld.ExpectationKey(principal: principal.value, resource: target.name)
                let allowedHere = expected[key]
                for permission in type.permissions.members {
                    let expectAllowed = allowedHere?.permissions.map { $0.contains(permission) } ?? (allowedHere != nil)
                    let decision = snapshot.check(CheckRequest(subject: subject, permission: permission, resource: target.reference))
                    if decision.allowed == expectAllowed {
                        report.passed += 1
                    } else {
                        report.failures.append(
                            PolicyTestReport.Failure(
                                location: allowedHere?.location ?? principal.location,
                                principal: principal.value,
                                permission: policy.name(of: permission),
                                resource: "\(type.name) \(target.name)",
                                expectedAllowed: expectAllowed,
                                denial: decision.denial
                            )
                        )
                    }
                }
            }
        }
    }
}
