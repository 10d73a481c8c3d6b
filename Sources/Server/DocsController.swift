import Foundation
internal import Hummingbird
internal import NIOCore

/// `/openapi.json` and `/docs`: the API's own description, served by the API, with no
/// external assets (the page embeds the document and renders it with a few lines of script).
struct DocsController {
    let document: ByteBuffer
    let page: ByteBuffer

    init() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(OpenAPIDocument.json)) ?? Data("{}".utf8)
        self.document = ByteBuffer(bytes: json)
        // `</` would end the script element early; JSON allows `<\/` in its place.
        let embedded = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        self.page = ByteBuffer(string: DocsPage.html.replacingOccurrences(of: "%DOCUMENT%", with: embedded))
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: self.document))
        }
        routes.on(.get, "/docs") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"],
                body: ResponseBody(byteBuffer: self.page)
            )
        }
    }
}
