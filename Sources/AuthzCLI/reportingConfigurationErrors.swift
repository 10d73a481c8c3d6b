import ArgumentParser
import Authz
import Identity
import Server

/// Runs what reads a command's configuration (the database URL, the policy folder): a
/// problem there is printed on standard error and the command exits 1, with no stack trace.
func reportingConfigurationErrors<Value>(_ body: () throws -> Value) throws -> Value {
    do {
        return try body()
    } catch let error as PolicyError {
        printError(error.description)
        throw ExitCode.failure
    } catch let error as IdentityError {
        if case .invalid(_, let message) = error { printError("--database-url: \(message)") }
        throw ExitCode.failure
    } catch let error as SettingsError {
        printError(error.description)
        throw ExitCode.failure
    }
}
