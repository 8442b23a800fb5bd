import CRdKafka
import Logging
import Synchronization

/// Builds an `rd_kafka_conf_t` from key/value settings, failing with librdkafka's message on a bad one.
enum KafkaConfig {
    /// A configuration whose librdkafka log lines go to `logger` (as JSON, like every other log line).
    /// The logger box is retained for the lifetime of the process' handles, which live as long as the process.
    static func make(_ settings: [String: String], logger: Logger? = nil) throws -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        if let logger {
            rd_kafka_conf_set_opaque(conf, Unmanaged.passRetained(LoggerBox(logger)).toOpaque())
            rd_kafka_conf_set_log_cb(conf) { rk, level, facility, text in
                guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
                let box = Unmanaged<LoggerBox>.fromOpaque(opaque).takeUnretainedValue()
                let message = text.map { String(cString: $0) } ?? ""
                let metadata: Logger.Metadata = [
                    "kafka.facility": .string(facility.map { String(cString: $0) } ?? ""), "kafka.message": .string(message),
                ]
                switch level {
                case ...3: box.logger.error("kafka.log", metadata: metadata)
                case 4: box.logger.warning("kafka.log", metadata: metadata)
                default: box.logger.debug("kafka.log", metadata: metadata)
                }
            }
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(message: String(cString: errstr))
            }
        }
        return conf
    }

    static func handle(_ type: rd_kafka_type_t, _ settings: [String: String], logger: Logger? = nil) throws -> OpaquePointer {
        let conf = try make(settings, logger: logger)
        return try handle(type, conf: conf)
    }

    static func handle(_ type: rd_kafka_type_t, conf: OpaquePointer) throws -> OpaquePointer {
        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(message: String(cString: errstr))
        }
        return rk
    }
}

/// A flag a polling thread checks; shared by reference because `Atomic` cannot be copied into a closure.
final class RunFlag: Sendable {
    private let value = Atomic<Bool>(true)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func clear() { value.store(false, ordering: .relaxed) }
}

/// Carries a logger through librdkafka's opaque pointer to its log callback.
final class LoggerBox: Sendable {
    let logger: Logger
    init(_ logger: Logger) { self.logger = logger }
}
