import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of an S3 XML document: its name, text and children (attributes and namespaces dropped; S3's answers
/// need neither), plus the two request bodies the store sends.
struct S3XML: Sendable {
    var name: String
    var text = ""
    var children: [S3XML] = []

    /// The first child named `name`.
    func child(_ name: String) -> S3XML? { children.first { $0.name == name } }

    /// The children named `name`, in document order.
    func children(_ name: String) -> [S3XML] { children.filter { $0.name == name } }

    /// The document element of `bytes`, or nil if they are not XML.
    static func parse(_ bytes: [UInt8]) -> S3XML? {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.stack.first?.children.first
    }

    /// `text` with `& < > " '` escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The body of CompleteMultipartUpload: the parts' ETags, numbered from 1.
    static func completeMultipartUpload(etags: [String]) -> [UInt8] {
        let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(escape($0.element))</ETag></Part>" }
        return Array("<CompleteMultipartUpload>\(parts.joined())</CompleteMultipartUpload>".utf8)
    }

    /// The body of DeleteObjects for `keys` (at most 1000), quiet: the answer lists only failures.
    static func deleteObjects(keys: [String]) -> [UInt8] {
        let objects = keys.map { "<Object><Key>\(escape($0))</Key></Object>" }
        return Array("<Delete><Quiet>true</Quiet>\(objects.joined())</Delete>".utf8)
    }
}

/// Builds ``S3XML`` elements from XMLParser's events: a stack of open elements under a synthetic root.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack = [S3XML(name: "")]

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        stack.append(S3XML(name: elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard stack.count > 1 else { return }
        let element = stack.removeLast()
        stack[stack.count - 1].children.append(element)
    }
}
