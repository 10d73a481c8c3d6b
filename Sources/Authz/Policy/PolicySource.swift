/// One policy file's text. The loader never touches the file system itself: the caller reads
/// the folder, which keeps Authz free of I/O and lets tests compile policies from strings.
public struct PolicySource: Sendable {
    public let path: String
    public let contents: String

    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}
