import CRdKafka

/// Errors of the Kafka adapter: librdkafka's error codes with their text.
public struct KafkaError: Error, Equatable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` value (0 when the error is a configuration one).
    public var code: Int32
    /// librdkafka's description.
    public var message: String

    init(code: rd_kafka_resp_err_t) {
        self.code = code.rawValue
        self.message = String(cString: rd_kafka_err2str(code))
    }

    init(message: String) {
        self.code = 0
        self.message = message
    }

    public var description: String { "kafka: \(message)" }
}
