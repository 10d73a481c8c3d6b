/// A value read from a policy or test file together with where it was written.
struct Located<Value> {
    let value: Value
    let location: SourceLocation
}

extension Located: Sendable where Value: Sendable {}
