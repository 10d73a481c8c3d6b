/// A policy test file: a small world (principals, organizations with members and teams,
/// resources) and, per principal and resource, the permissions expected to be allowed.
/// Everything not listed is expected to be denied, so a suite pins down the whole matrix
/// of principals × resources × applicable permissions, not just the cases someone thought of.
public struct PolicyTestSuite: Sendable {
    struct Organization: Sendable {
        let name: Located<String>
        var members: [(principal: Located<String>, role: Located<String>)] = []
        var teams: [Team] = []
    }

    struct Team: Sendable {
        let name: Located<String>
        var members: [(principal: Located<String>, role: Located<String>)] = []
    }

    struct Resource: Sendable {
        let name: Located<String>
        var type: Located<String>?
        var organization: Located<String>?
        var team: Located<String>?
        var creator: Located<String>?
    }

    struct Expectation: Sendable {
        let principal: Located<String>
        let resource: Located<String>
        let allowed: [Located<String>]
    }

    public let file: String
    var principals: [Located<String>] = []
    var platformAdmins: [Located<String>] = []
    var organizations: [Organization] = []
    var resources: [Resource] = []
    var expectations: [Expectation] = []

    init(file: String) {
        self.file = file
    }
}
