import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// `/console`: the admin console, three static files compiled into the binary (no CDN, no
/// build step, works offline). The page is a client of the public API: it keeps the credential
/// in the tab's `sessionStorage` (no cookie another site could ride), sends it as
/// `Authorization: Bearer`, and every action goes through the same authorization as any other
/// client's. Only the console's own script and style may run or load (`'self'`, no inline
/// code), it may not be framed, and it sends no `Referer`.
struct ConsoleController {
    /// The accept page, as invitation links name it (`/console#/accept/{id}/{token}`).
    static let acceptPage = "/console#/accept"

    static let securityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    let page = ByteBuffer(bytes: PackageResources.console_html)
    let script = ByteBuffer(bytes: PackageResources.console_js)
    let style = ByteBuffer(bytes: PackageResources.console_css)

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/console") { _, _ in Self.response(self.page, type: "text/html; charset=utf-8") }
        routes.on(.get, "/console/console.js") { _, _ in Self.response(self.script, type: "text/javascript; charset=utf-8") }
        routes.on(.get, "/console/console.css") { _, _ in Self.response(self.style, type: "text/css; charset=utf-8") }
    }

    static func response(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentSecurityPolicy: Self.securityPolicy, HTTPField.Name("X-Frame-Options")!: "DENY",
                HTTPField.Name("Referrer-Policy")!: "no-referrer", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                .cacheControl: "no-cache",
            ],
            body: ResponseBody(byteBuffer: body)
        )
    }
}
