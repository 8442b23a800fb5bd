import Foundation
import FuzzSupport
import JSONRPC

/// `JSONParser`: any bytes parse or fail with an RPCError (never a trap), and whatever parses round-trips: encoding
/// the value and parsing that again gives the same value, and encoding is stable.
func fuzzJSONParser(_ bytes: [UInt8]) {
    guard let value = try? JSONValue.parse(bytes, maxDepth: 32) else { return }
    var encoded: [UInt8] = []
    value.write(into: &encoded)
    guard let again = try? JSONValue.parse(encoded, maxDepth: 64) else { fatalError("encoder output does not parse: \(encoded)") }
    var reencoded: [UInt8] = []
    again.write(into: &reencoded)
    precondition(again == value || reencoded == encoded, "round trip changed the value")
    precondition(reencoded == encoded, "encoding is not stable")
}

/// The differential's view of one input, one line per file: `accept <hex of the encoding>`, `reject`, or
/// `too_deep` (over the depth limit, which Python's json does not have), after the file's name and a tab.
/// `scripts/fuzz.d/json_differential.py` compares these lines with Python's `json` on the same bytes.
func differentialLine(_ bytes: [UInt8]) -> String {
    do {
        let value = try JSONValue.parse(bytes, maxDepth: 32)
        var encoded: [UInt8] = []
        value.write(into: &encoded)
        return "accept " + encoded.map { String(format: "%02x", $0) }.joined()
    } catch let error { return error.data["reason"] == .string("nesting_too_deep") ? "too_deep" : "reject" }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput") public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzJSONParser(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
#else
@main struct Replay {
    /// `FuzzJSONParser PATH…` replays; `FuzzJSONParser --differential DIR…` prints one differential line per file.
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.first == "--differential" else {
            CorpusReplay.run(arguments, fuzzJSONParser)
            return
        }
        arguments.removeFirst()
        for directory in arguments {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
                guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else { continue }
                print("\(directory)/\(name)\t\(differentialLine(Array(data)))")
            }
        }
    }
}
#endif
