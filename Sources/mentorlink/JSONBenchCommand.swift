import ArgumentParser
import Foundation
import JSONRPC

/// `mentorlink bench-json FILE`: parses a JSON-RPC envelope with Foundation the way the dispatcher does
/// (depth scan, `JSONDecoder` into `JSONValue`, envelope checks) and prints the median nanoseconds per parse.
/// `scripts/bench json` runs it beside jansson on the same bytes.
struct JSONBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-json", abstract: "Micro-benchmark of envelope parsing.", shouldDisplay: false)

    @Argument(help: "A file holding one JSON-RPC request.")
    var file: String

    @Option(help: "Parses per round (15 rounds; the median is reported).")
    var iterations: Int = 20_000

    func run() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        var ok = 0
        var samples: [Double] = []
        for _ in 0..<15 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations {
                guard case .object(let members)? = try? JSONValue.parse(bytes, maxDepth: 32) else { continue }
                if members["jsonrpc"] == .string("2.0"), case .string? = members["method"], members["id"] != nil { ok += 1 }
            }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations))
        }
        print(#"{"ns_per_parse": \#(Int(samples.sorted()[7])), "ok": \#(ok)}"#)
    }
}
