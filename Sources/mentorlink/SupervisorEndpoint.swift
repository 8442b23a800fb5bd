import Hummingbird
import Logging
import NIOCore
import Server

/// The supervisor's own socket, `<run dir>/supervisor.sock` (mode 0660, not behind nginx): `GET /metrics` (restarts
/// per process, for the attack and chaos tools and for Prometheus) and `GET /healthz`.
enum SupervisorEndpoint {
    /// The application serving `metrics` on `socketPath`.
    static func make(socketPath: String, metrics: SupervisorMetrics, logger: Logger) throws -> some ApplicationProtocol {
        try UnixSocket.prepare(path: socketPath)
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        return Application(
            router: router, configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: nil),
            onServerRunning: { _ in UnixSocket.restrict(path: socketPath, group: nil) }, logger: logger)
    }
}
