/// One record read from an event topic: where it was read (topic, partition, offset), its key and its value.
public struct EventRecord: Sendable, Hashable {
    /// The topic (`<prefix><aggregate>`).
    public var topic: String
    /// The partition it was read from.
    public var partition: Int32
    /// Its offset in the partition.
    public var offset: Int64
    /// The key (the aggregate id for the relay's records).
    public var key: [UInt8]
    /// The value (for the relay's records, a ``RelayedEvent``'s JSON).
    public var value: [UInt8]

    /// A record read at `offset` of `topic`'s `partition`.
    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8], value: [UInt8]) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
    }
}
