import Foundation

/// A throwaway Debian nginx on a free loopback port serving `nginx/media-location.conf.template` (its placeholders
/// filled with a temporary run dir and `secret`), single-process, in the foreground; objects live in `<runDir>/objects`.
final class NginxServer {
    static let binary = "/usr/sbin/nginx"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let runDir: String
    let origin: String
    private let server: ChildServer

    var objects: String { runDir + "/objects" }

    init(secret: String) async throws {
        let runDir = try TestSupport.scratchDirectory("nginx-media")
        self.runDir = runDir
        let port = try TestSupport.freePort()
        origin = "http://127.0.0.1:\(port)"
        let template = try String(contentsOfFile: TestSupport.packageRoot + "/nginx/media-location.conf.template", encoding: .utf8)
        let location = template.replacingOccurrences(of: "@RUN_DIR@", with: runDir).replacingOccurrences(of: "@MEDIA_SECRET@", with: secret)
        let temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map { "\($0)_temp_path \(runDir)/\($0);" }.joined(separator: " ")
        let config = """
            daemon off; master_process off; pid \(runDir)/nginx.pid; error_log \(runDir)/error.log;
            events { worker_connections 64; }
            http { access_log off; \(temps)
            server { listen 127.0.0.1:\(port); \(location) } }
            """
        try config.write(toFile: runDir + "/nginx.conf", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: runDir + "/objects", withIntermediateDirectories: true)
        server = try ChildServer(
            executable: Self.binary, arguments: ["-p", runDir, "-c", runDir + "/nginx.conf", "-e", runDir + "/error.log"],
            log: runDir + "/stderr.log")
        do {
            try await TestSupport.waitUntilServing(origin + "/", what: "nginx")
        } catch {
            stop()
            throw error
        }
    }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: runDir)
    }
}
