import FuzzSupport
import ServiceSupport

/// The cursor decoder: no token opens but one the codec sealed (for the same scope), and opening never traps; the
/// bytes also go through the keyset reader and the payload reader as a forged payload would.
let codec = CursorCodec(derivingFrom: Array("fuzz cursor key".utf8))

func fuzzCursor(_ bytes: [UInt8]) {
    let token = String(decoding: bytes, as: UTF8.self)
    if let position = codec.keyset(token, scope: "fuzz", timeKeyed: true) {
        // Only a sealed token opens: re-sealing must give a token that opens to the same position.
        precondition(codec.keyset(codec.seal(position, scope: "fuzz"), scope: "fuzz", timeKeyed: true) == position)
        _ = position.instant
    }
    var payload = CursorPayload()
    for byte in bytes.prefix(64) { payload.append(byte & 1 == 1) }
    let sealed = codec.seal(payload, scope: "fuzz")
    guard var opened = codec.open(sealed, scope: "fuzz") else { fatalError("a sealed payload did not open") }
    precondition(codec.open(sealed, scope: "other") == nil, "a cursor opened in another scope")
    var flags = 0
    while opened.readBool() != nil { flags += 1 }
    precondition(opened.isAtEnd && flags == payload.bytes.count, "the payload did not read back")
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput") public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzCursor(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
#else
@main struct Replay { static func main() { CorpusReplay.run(Array(CommandLine.arguments.dropFirst()), fuzzCursor) } }
#endif
