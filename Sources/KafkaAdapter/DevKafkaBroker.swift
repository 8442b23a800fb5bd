import CRdKafka

/// librdkafka's mock cluster: a Kafka-protocol broker in this process, for development and tests.
///
/// It keeps everything in memory; the outbox in PostgreSQL is what makes events durable.
public final class DevKafkaBroker: @unchecked Sendable {
    // @unchecked: the handles are only touched in init and deinit.
    private let rk: OpaquePointer
    private let cluster: OpaquePointer
    /// The bootstrap address (`127.0.0.1:PORT`) clients connect to.
    public let bootstrapServers: String

    /// Starts a cluster of `brokers` brokers and creates `topics` with `partitions` partitions each.
    public init(brokers: Int32 = 1, topics: [String] = [], partitions: Int32 = 3) throws {
        rk = try KafkaConfig.handle(RD_KAFKA_PRODUCER, [:])
        guard let cluster = rd_kafka_mock_cluster_new(rk, brokers) else {
            rd_kafka_destroy(rk)
            throw KafkaError(message: "could not start the mock cluster")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        for topic in topics {
            let error = rd_kafka_mock_topic_create(cluster, topic, partitions, 1)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: error) }
        }
    }

    /// Takes every broker down (its connections are closed and new ones refused) or brings them back up, keeping the
    /// log and the group offsets: a broker outage and restart as a real, disk-backed broker has one. scripts/chaos
    /// uses it through `mentorlink dev-kafka`'s SIGUSR1 (down) and SIGUSR2 (up).
    public func setBrokersUp(_ up: Bool) { _ = up ? rd_kafka_mock_broker_set_up(cluster, -1) : rd_kafka_mock_broker_set_down(cluster, -1) }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(rk)
    }
}
