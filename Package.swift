// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target (see STYLE.md §1).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility"), .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mentorlink", platforms: [.macOS(.v15)], products: [.executable(name: "mentorlink", targets: ["mentorlink"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"), .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"), .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure JSON-RPC 2.0: envelope, codec, errors, registry, dispatch, OpenRPC. No I/O.
        .target(name: "JSONRPC", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // Domain types and ports. No I/O.
        .target(name: "MentorLinkCore"),
        // What every service shares: the one table of error codes and the core errors' mapping, the audit-entry builder,
        // opaque authenticated cursors, … Depends on JSONRPC and Core only.
        .target(
            name: "ServiceSupport",
            dependencies: [
                "JSONRPC", "MentorLinkCore", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // C libraries, through pkg-config.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        // Services.
        .target(
            name: "IdentityService",
            dependencies: [
                "JSONRPC", "MentorLinkCore", "ServiceSupport", "CArgon2", .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ], resources: [.copy("Resources/common-passwords.txt")]),
        .target(
            name: "AuditService",
            dependencies: [
                "JSONRPC", "MentorLinkCore", "ServiceSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(name: "OperationsService", dependencies: ["JSONRPC", "MentorLinkCore", "ServiceSupport"]),
        .target(name: "DiscoveryService", dependencies: ["JSONRPC", "MentorLinkCore", "ServiceSupport"]),
        .target(name: "FeedbackService", dependencies: ["JSONRPC", "MentorLinkCore", "ServiceSupport"]),
        .target(
            name: "BookingService",
            dependencies: [
                "JSONRPC", "MentorLinkCore", "ServiceSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "PaymentsService",
            dependencies: [
                "JSONRPC", "MentorLinkCore", "ServiceSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "RealtimeService",
            dependencies: [
                "JSONRPC", "MentorLinkCore", "ServiceSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Recordings: `recordings.*` and the tus upload endpoint's protocol.
        .target(
            name: "RecordingService",
            dependencies: ["JSONRPC", "MentorLinkCore", "ServiceSupport", .product(name: "Crypto", package: "swift-crypto")]),
        // Adapters.
        .target(
            name: "ProviderAdapter",
            dependencies: [
                "MentorLinkCore", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "PostgresAdapter",
            dependencies: [
                "MentorLinkCore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], ),
        .target(
            name: "RedisAdapter",
            dependencies: [
                "CHiredis", "MentorLinkCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "KafkaAdapter",
            dependencies: [
                "CRdKafka", "MentorLinkCore", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Email through SMTP (on NIO) or into a Maildir spool: the Mailer port.
        .target(
            name: "MailAdapter",
            dependencies: ["MentorLinkCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        // The outbox relay and the event consumers (`mentorlink relay`, `mentorlink consume`), over the Core ports
        // (EventSource, EventSink, Mailer) that the adapters implement and the executable wires.
        .target(
            name: "EventPipeline",
            dependencies: [
                "MentorLinkCore", .product(name: "Mustache", package: "swift-mustache"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The ObjectStore port on a directory (nginx secure_link URLs) or on S3 (SigV4, multipart, presigned GET).
        .target(
            name: "ObjectStorage",
            dependencies: [
                "MentorLinkCore", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // FFmpeg's libraries (Debian's libav*-dev) behind a small C layer: decode MediaRecorder WebM, encode H.264 +
        // AAC MP4s, composite, HLS.
        .target(
            name: "CMedia",
            linkerSettings: [
                .linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("avfilter"), .linkedLibrary("swscale"),
                .linkedLibrary("swresample"), .linkedLibrary("avutil"),
            ]),
        // The transcoder (Swift over CMedia) and the media pipeline's jobs.
        .target(
            name: "MediaPipeline",
            dependencies: [
                "CMedia", "MentorLinkCore", "EventPipeline", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The SFUGateway port on Janus's VideoRoom (HTTP API, admin API) and Janus's signed tokens.
        .target(
            name: "SFUAdapter",
            dependencies: [
                "MentorLinkCore", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // A blocking HTTP/WebSocket client for the CLI, the load client and socket-level tests.
        .target(name: "MentorLinkClient"),
        // The worker: HTTP + WebSocket on a Unix socket.
        .target(
            name: "Server",
            dependencies: [
                "JSONRPC", "MentorLinkCore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "mentorlink",
            dependencies: [
                "JSONRPC", "MentorLinkCore", "ServiceSupport", "Server", "PostgresAdapter", "RedisAdapter", "KafkaAdapter", "MailAdapter",
                "MentorLinkClient", "IdentityService", "AuditService", "OperationsService", "DiscoveryService", "BookingService", "FeedbackService",
                "PaymentsService", "ProviderAdapter", "RealtimeService", "EventPipeline", "RecordingService", "ObjectStorage", "MediaPipeline",
                "SFUAdapter", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // In-memory implementations of the ports, a test clock and the in-process call: what the handler tests run on.
        .target(
            name: "MentorLinkTesting",
            dependencies: [
                "JSONRPC", "MentorLinkCore", "ServiceSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // libFuzzer harnesses (scripts/fuzz TARGET [seconds]); built without FUZZING they replay a corpus.
        .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzJSONParser", dependencies: ["FuzzSupport", "JSONRPC"], path: "Fuzz/FuzzJSONParser"),
        .executableTarget(
            name: "FuzzDispatch",
            dependencies: [
                "FuzzSupport", "JSONRPC", "ServiceSupport", "MentorLinkTesting", "IdentityService", "AuditService", "OperationsService",
                "RealtimeService", "DiscoveryService", "BookingService", "FeedbackService", "PaymentsService", "MentorLinkCore",
                .product(name: "Logging", package: "swift-log"),
            ], path: "Fuzz/FuzzDispatch"),
        .executableTarget(
            name: "FuzzHTTPHead", dependencies: ["FuzzSupport", "JSONRPC", "Server", .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Fuzz/FuzzHTTPHead"),
        .executableTarget(name: "FuzzCursor", dependencies: ["FuzzSupport", "ServiceSupport"], path: "Fuzz/FuzzCursor"),
        .executableTarget(name: "FuzzWebhookSignature", dependencies: ["FuzzSupport", "PaymentsService"], path: "Fuzz/FuzzWebhookSignature"),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: [
                "ObjectStorage", "MentorLinkCore", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "SFUAdapterTests", dependencies: ["SFUAdapter", "MentorLinkCore", "MentorLinkTesting"]),
        .testTarget(
            name: "MediaTests", dependencies: ["MediaPipeline", "CMedia", "MentorLinkCore", .product(name: "Logging", package: "swift-log")],
            // Janus recordings (.mjr) of a real SFU session, cut to a few seconds; read by path.
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ServiceSupportTests",
            dependencies: ["ServiceSupport", "JSONRPC", "MentorLinkCore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "BookingTests",
            dependencies: ["BookingService", "MentorLinkCore", "JSONRPC", "ServiceSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "EventPipelineTests",
            dependencies: [
                "EventPipeline", "MentorLinkCore", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]), .testTarget(name: "PaymentsTests", dependencies: ["PaymentsService", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "JSONRPC", "MentorLinkClient", "MentorLinkCore", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Handler tests on the in-memory ports: no PostgreSQL, Redis or Kafka.
        .testTarget(
            name: "IdentityServiceTests",
            dependencies: ["IdentityService", "AuditService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(name: "AuditServiceTests", dependencies: ["AuditService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(
            name: "OperationsServiceTests", dependencies: ["OperationsService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(
            name: "DiscoveryServiceTests",
            dependencies: ["DiscoveryService", "BookingService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(
            name: "FeedbackServiceTests",
            dependencies: ["FeedbackService", "BookingService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(
            name: "BookingServiceTests",
            dependencies: [
                "BookingService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "PaymentsServiceTests",
            dependencies: ["PaymentsService", "BookingService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(
            name: "RealtimeServiceTests", dependencies: ["RealtimeService", "MentorLinkTesting", "MentorLinkCore", "JSONRPC", "ServiceSupport"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PostgresAdapter", "RedisAdapter", "KafkaAdapter", "MailAdapter", "Server", "JSONRPC", "MentorLinkClient", "IdentityService",
                "AuditService", "DiscoveryService", "BookingService", "FeedbackService", "PaymentsService", "ProviderAdapter", "RealtimeService",
                "EventPipeline", "RecordingService", "ObjectStorage", "MediaPipeline", "MentorLinkCore", "MentorLinkTesting", "ServiceSupport",
                "SFUAdapter", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
    ])

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: swiftSettings)
    target.swiftSettings = settings
}
