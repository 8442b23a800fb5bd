import CRdKafka
import Synchronization

/// Builds an `rd_kafka_conf_t` from key/value settings, failing with librdkafka's message on a bad one.
enum KafkaConfig {
    static func make(_ settings: [String: String]) throws -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(message: String(cString: errstr))
            }
        }
        return conf
    }

    static func handle(_ type: rd_kafka_type_t, _ settings: [String: String]) throws -> OpaquePointer {
        let conf = try make(settings)
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
