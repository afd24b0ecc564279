import ArgumentParser
import Logging

/// `--auth-token-file`, for services whose endpoints can require a token (a served model, the
/// recognition service). Every such service takes it the same way:
///
/// ```swift
/// @OptionGroup var auth: AuthTokenOption
/// // in run(), before slow start-up work:
/// let tokens = try auth.tokens(logger: logger)   // nil without the option
/// router.requireTokens(tokens, openPaths: ["/health", "/metrics"]) { PlainError($0, $1) }
/// ```
public struct AuthTokenOption: ParsableArguments {
    @Option(
        name: .customLong("auth-token-file"),
        help: ArgumentHelp(
            "Require 'Authorization: Bearer TOKEN' on every endpoint except health checks and /metrics. The file "
                + "holds one token, or sha256:<hex digest of a token>, per line ('#' comments); it must not be "
                + "readable by every user (chmod 600) and is read again when it changes.",
            valueName: "file"))
    public var authTokenFile: String?

    public init() {}

    /// The accepted tokens, nil without `--auth-token-file`; a file that cannot be used fails with
    /// a message that says what to fix.
    public func tokens(logger: Logger) throws(TokenFileError) -> AccessTokens? {
        guard let authTokenFile else { return nil }
        let tokens = try AccessTokens(path: authTokenFile, logger: logger)
        logger.info("Endpoints need a token: \(tokens.count) accepted, from \(authTokenFile)")
        return tokens
    }
}
