import Foundation
import Testing

/// The S3 endpoint the S3 tests use: `MENTORLINK_TEST_S3_ENDPOINT` when set, otherwise a `moto_server` (PyPI's
/// `moto[server]`, which does not check signatures) started here on a free loopback port and stopped after the test.
final class MotoServer {
    static let configuredEndpoint = ProcessInfo.processInfo.environment["MENTORLINK_TEST_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
    static let executable = TestSupport.executable("moto_server")
    static var available: Bool { configuredEndpoint != nil || executable != nil }
    static let unavailableReason: Comment =
        "no S3 to test against: set MENTORLINK_TEST_S3_ENDPOINT or install moto (pip install 'moto[server]')"

    let endpoint: String
    private let server: ChildServer?
    private let logDirectory: String?

    init() async throws {
        if let configured = Self.configuredEndpoint {
            endpoint = configured
            server = nil
            logDirectory = nil
            return
        }
        guard let executable = Self.executable else { throw TestFailure(Self.unavailableReason.rawValue) }
        let port = try TestSupport.freePort()
        let directory = try TestSupport.scratchDirectory("moto")
        endpoint = "http://127.0.0.1:\(port)"
        logDirectory = directory
        let server = try ChildServer(executable: executable, arguments: ["-H", "127.0.0.1", "-p", "\(port)"], log: directory + "/moto.log")
        self.server = server
        do {
            try await TestSupport.waitUntilServing(endpoint + "/", what: "moto_server")
        } catch {
            server.stop()
            throw error
        }
    }

    func stop() {
        server?.stop()
        if let logDirectory { try? FileManager.default.removeItem(atPath: logDirectory) }
    }
}
