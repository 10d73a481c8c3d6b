/// The one version string: `authz --version` and the OpenAPI document's `info.version`.
public enum ServiceVersion {
    public static let current = "1.0.0"
}
