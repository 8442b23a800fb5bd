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

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzJSONParser(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
#else
@main struct Replay {
    static func main() { CorpusReplay.run(Array(CommandLine.arguments.dropFirst()), fuzzJSONParser) }
}
#endif
