import Foundation
import JSONRPC
import Testing

/// The project's JSON parser against the grammar of RFC 8259, and against Foundation on the same documents.
@Suite struct JSONParserTests {
    @Test(arguments: [
        #"{"a":[1,-2,3.5,-0.25E-2,true,false,null],"b":{"c":"d\"e\\f\/g\n\u00e9\ud83d\ude00"}}"#, #"  [ ]  "#, #"{}"#, #""x""#, "0", "-0",
        "123456789012", #"[[[["deep"]]]]"#, #"{"k":"héllo wörld 😀"}"#,
    ]) func acceptsWhatFoundationAccepts(text: String) throws {
        let mine = try JSONValue.parse(Array(text.utf8), maxDepth: 32)
        let theirs = try JSONValue.parseWithFoundation(Array(text.utf8), maxDepth: 32)
        #expect(mine == theirs)
        // Encoding and parsing again gives the same value.
        #expect(try JSONValue.parse(Array(mine.encoded()), maxDepth: 32) == mine)
    }

    @Test(arguments: [
        "", " ", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "-", "1e", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'", "\"unterminated", "\"tab\there\"",
        "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"", "[1]x", "nul", "tru", "NaN", "Infinity", "1e999", "[", "{", "\"\\u12\"",
    ]) func refusesMalformed(text: String) { #expect(throws: RPCError.parseError()) { try JSONValue.parse(Array(text.utf8), maxDepth: 32) } }

    /// Found by the differential against Python's json: `{"é":1,"e\u{301}":2}` kept one member (Swift's String
    /// equality is canonical equivalence) where Python keeps two. A name given twice, in any spelling, is refused.
    @Test(arguments: [#"{"a":1,"a":2}"#, #"{"\u00e9":1,"e\u0301":2}"#, "{\"\u{212B}\":1,\"\u{C5}\":2}", #"[{"x":{},"x":[]}]"#])
    func refusesDuplicateNames(text: String) { #expect(throws: RPCError.parseError()) { try JSONValue.parse(Array(text.utf8), maxDepth: 32) } }

    @Test func exponentsAreNumbersNotIntegers() throws {
        #expect(try JSONValue.parse(Array("1e3".utf8), maxDepth: 1) == .double(1000))
        #expect(try JSONValue.parse(Array("-7".utf8), maxDepth: 1) == .int(-7))
    }

    @Test func refusesInvalidUTF8() { #expect(throws: RPCError.self) { try JSONValue.parse([0x22, 0xFF, 0xFE, 0x22], maxDepth: 32) } }

    @Test func boundsNesting() throws {
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        _ = try JSONValue.parse(Array(ok.utf8), maxDepth: 32)
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(throws: RPCError.invalidRequest("JSON nesting deeper than 32 levels", reason: "nesting_too_deep")) {
            try JSONValue.parse(Array(deep.utf8), maxDepth: 32)
        }
    }

    @Test func encoderEscapes() {
        let value = JSONValue.object(["q": .string("a\"b\\c\n\u{01}")])
        #expect(String(decoding: value.encoded(), as: UTF8.self) == #"{"q":"a\"b\\c\n\u0001"}"#)
    }

    /// Names are written in UTF-8 byte order, whatever order the dictionary keeps them in: one value, one encoding.
    @Test func encodingOrdersNamesByTheirBytes() throws {
        let decomposed = "e\u{301}"
        let precomposed = "\u{e9}`"
        var one: [String: JSONValue] = [:]
        one[decomposed] = .int(2)
        one[precomposed] = .int(1)
        var other: [String: JSONValue] = [:]
        other[precomposed] = .int(1)
        other[decomposed] = .int(2)
        var first: [UInt8] = []
        var second: [UInt8] = []
        JSONValue.object(one).write(into: &first)
        JSONValue.object(other).write(into: &second)
        #expect(first == second)
        #expect(String(decoding: first, as: UTF8.self) == "{\"\(decomposed)\":2,\"\(precomposed)\":1}")
    }
}
