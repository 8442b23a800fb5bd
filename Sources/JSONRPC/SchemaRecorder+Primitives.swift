// Concrete overloads forwarding to the generic recorders, so `String?` members are seen as optional.

extension KeyedRecorder {
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, generic: key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(type as Bool.Type, generic: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, generic: key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(type as String.Type, generic: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, generic: key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(type as Double.Type, generic: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type as Float.Type, generic: key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeIfPresent(type as Float.Type, generic: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, generic: key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(type as Int.Type, generic: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type as Int8.Type, generic: key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decodeIfPresent(type as Int8.Type, generic: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type as Int16.Type, generic: key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decodeIfPresent(type as Int16.Type, generic: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type as Int32.Type, generic: key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decodeIfPresent(type as Int32.Type, generic: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, generic: key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(type as Int64.Type, generic: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type as UInt.Type, generic: key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decodeIfPresent(type as UInt.Type, generic: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type as UInt8.Type, generic: key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decodeIfPresent(type as UInt8.Type, generic: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type as UInt16.Type, generic: key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decodeIfPresent(type as UInt16.Type, generic: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type as UInt32.Type, generic: key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decodeIfPresent(type as UInt32.Type, generic: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type as UInt64.Type, generic: key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decodeIfPresent(type as UInt64.Type, generic: key) }
    private func decode<T: Decodable>(_ type: T.Type, generic key: Key) throws -> T { try decode(type, forKey: key) }
    private func decodeIfPresent<T: Decodable>(_ type: T.Type, generic key: Key) throws -> T? { try decodeIfPresent(type, forKey: key) }
}

extension UnkeyedRecorder {
    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(generic: type) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(generic: type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(generic: type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(generic: type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(generic: type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(generic: type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(generic: type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(generic: type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(generic: type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(generic: type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(generic: type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(generic: type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(generic: type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(generic: type) }
    private mutating func decode<T: Decodable>(generic type: T.Type) throws -> T { try decode(type) }
}

extension SingleRecorder {
    func decode(_ type: Bool.Type) throws -> Bool { try decode(generic: type) }
    func decode(_ type: String.Type) throws -> String { try decode(generic: type) }
    func decode(_ type: Double.Type) throws -> Double { try decode(generic: type) }
    func decode(_ type: Float.Type) throws -> Float { try decode(generic: type) }
    func decode(_ type: Int.Type) throws -> Int { try decode(generic: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(generic: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(generic: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(generic: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(generic: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(generic: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(generic: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(generic: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(generic: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(generic: type) }
    private func decode<T: Decodable>(generic type: T.Type) throws -> T { try decode(type) }
}
