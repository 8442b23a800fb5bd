import ArgumentParser
import Foundation
import JSONRPC

/// `mentorlink bench-json FILE`: parses a JSON-RPC envelope the way the dispatcher does (into `JSONValue`, then the
/// envelope checks), with the project's `JSONParser` and with Foundation's `JSONDecoder`, and prints the median
/// nanoseconds per parse of each. `scripts/bench json` runs it beside jansson on the same bytes.
struct JSONBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-json", abstract: "Micro-benchmark of envelope parsing.", shouldDisplay: false)

    @Argument(help: "A file holding one JSON-RPC request.") var file: String

    @Option(help: "Parses per round (15 rounds; the median is reported).") var iterations: Int = 20_000

    func run() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        let own = measure(bytes) { try JSONValue.parse($0, maxDepth: 32) }
        let foundation = measure(bytes) { try JSONValue.parseWithFoundation($0, maxDepth: 32) }
        print(#"{"ns_per_parse": \#(own), "foundation_ns_per_parse": \#(foundation)}"#)
    }

    /// Median nanoseconds per parse over 15 rounds.
    func measure(_ bytes: [UInt8], _ parse: ([UInt8]) throws -> JSONValue) -> Int {
        var ok = 0
        var samples: [Double] = []
        for _ in 0..<15 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations {
                guard case .object(let members)? = try? parse(bytes) else { continue }
                if members["jsonrpc"] == .string("2.0"), case .string? = members["method"], members["id"] != nil { ok += 1 }
            }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations))
        }
        precondition(ok == 15 * iterations, "the benchmark input is not a valid envelope")
        return Int(samples.sorted()[7])
    }
}
