import ArgumentParser
import Foundation
import IdentityService

/// `mentorlink bench-hash`: the cost of one Argon2id password hash with the configured parameters.
struct HashBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-hash", abstract: "Time Argon2id hashes.", shouldDisplay: false)

    @Option(help: "Hashes to time.") var count: Int = 20

    func run() async throws {
        let hasher = PasswordHasher(cost: IdentityConfiguration.defaultArgon2)
        _ = try await hasher.hash("warm up the allocator")
        var samples: [Double] = []
        for index in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try await hasher.hash("benchmark password \(index)")
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        print(#"{"median_ms": \#(String(format: "%.1f", samples[samples.count / 2])), "max_ms": \#(String(format: "%.1f", samples.last ?? 0))}"#)
    }
}
