import Foundation
import FuzzSupport
import HTTPTypes
import JSONRPC
import Server

/// The request-head path the project owns (SwiftNIO parses HTTP itself): each input line `Name: value` becomes a
/// header field (lines whose name or value HTTP does not allow are dropped, as NIO would refuse them), then the
/// credentials, the media-type check and the request id are read as `POST /rpc` and the WebSocket handshake do. They
/// never trap, and what they return is well formed.
func fuzzHTTPHead(_ bytes: [UInt8]) {
    var fields = HTTPFields()
    for line in bytes.split(separator: 0x0A) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        // The optional whitespace after the colon is not part of the value (RFC 9110 5.5), as NIO parses it.
        let value = String(decoding: line[(colon + 1)...].drop(while: { $0 == 0x20 || $0 == 0x09 }), as: UTF8.self)
        guard let fieldName = HTTPField.Name(name), HTTPField.isValidValue(value) else { continue }
        fields.append(HTTPField(name: fieldName, value: value))
    }
    let credentials = RequestHead.credentials(fields)
    if let bearer = credentials.bearer {
        // Only from a single Authorization field, trimmed of what the code trims (spaces and tabs), and the rest of
        // that field's value.
        let authorizations = fields[values: .authorization]
        precondition(authorizations.count == 1, "a bearer token taken from \(authorizations.count) Authorization fields")
        precondition(bearer.trimmingCharacters(in: .whitespaces) == bearer, "a bearer token kept its padding")
        precondition(authorizations[0].trimmingCharacters(in: .whitespaces).hasSuffix(bearer), "a bearer token not taken from the header")
    }
    let cookieHeader = fields[values: .cookie].joined(separator: "; ")
    for (name, value) in credentials.cookies {
        precondition(!name.contains(";") && !value.contains(";") && cookieHeader.contains(name), "a cookie was split wrongly")
    }
    if RequestHead.isJSON(fields[.contentType]) {
        let media = (fields[.contentType] ?? "").drop(while: { $0 == " " }).prefix(16).lowercased()
        precondition(media == "application/json", "isJSON accepted \(fields[.contentType] ?? "")")
    }
    let id = RequestID.from(fields)
    precondition(
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy({ $0 == 0x2D || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }),
        "a request id that is not a token: \(id)")
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput") public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzHTTPHead(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
#else
@main struct Replay { static func main() { CorpusReplay.run(Array(CommandLine.arguments.dropFirst()), fuzzHTTPHead) } }
#endif
