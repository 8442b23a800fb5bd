import Crypto
import Foundation
import MentorLinkCore

/// The audit log's hash chain in memory: each record's hash is SHA-256 of the previous hash and the record's canonical
/// text (as `audit_append` computes it in SQL), so ``verify()`` finds an altered or a missing entry.
struct AuditChain {
    struct Link {
        var record: AuditRecord
        var at: Date
        var previous: [UInt8]
        var hash: [UInt8]
    }

    private(set) var links: [Link] = []
    private var lastId: Int64 = 0

    static let genesis = [UInt8](repeating: 0, count: 32)

    /// Appends `entry` at time `at`.
    mutating func append(_ entry: AuditEntry, at: Date) {
        lastId += 1
        let record = AuditRecord(id: lastId, at: Self.format(at), entry: entry)
        let previous = links.last?.hash ?? Self.genesis
        links.append(Link(record: record, at: at, previous: previous, hash: Self.hash(previous, record)))
    }

    /// The records a query selects, in id order.
    func records(_ query: AuditQuery) -> [AuditRecord] {
        let selected = links.lazy.filter { link in
            query.actorId.map { link.record.actorId == $0 } ?? true && query.action.map { link.record.action == $0 } ?? true
                && query.from.map { link.at >= $0 } ?? true && query.to.map { link.at < $0 } ?? true && link.record.id > (query.afterId ?? 0)
        }
        return selected.prefix(max(0, query.limit)).map(\.record)
    }

    /// Recomputes the chain from the start: the first link whose previous hash or own hash does not match is broken.
    func verify() -> AuditVerification {
        var expected = Self.genesis
        for (checked, link) in links.enumerated() {
            guard link.previous == expected, link.hash == Self.hash(link.previous, link.record) else {
                return AuditVerification(ok: false, checked: checked, firstBrokenId: link.record.id)
            }
            expected = link.hash
        }
        return AuditVerification(ok: true, checked: links.count, firstBrokenId: nil)
    }

    /// Changes a stored record in place without fixing the chain (what a forger with write access would do).
    mutating func tamper(id: Int64, _ change: (inout AuditRecord) -> Void) {
        guard let index = links.firstIndex(where: { $0.record.id == id }) else { return }
        change(&links[index].record)
    }

    /// Removes a stored record without fixing the chain.
    mutating func delete(id: Int64) { links.removeAll { $0.record.id == id } }

    static func hash(_ previous: [UInt8], _ record: AuditRecord) -> [UInt8] { Array(SHA256.hash(data: previous + Array(canonical(record).utf8))) }

    /// Every field of the record, in a fixed order, with its details sorted by key.
    static func canonical(_ record: AuditRecord) -> String {
        let details = record.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1f}")
        return [
            "\(record.id)", record.at, record.actorId?.uuidString ?? "", record.action, record.target ?? "", record.outcome, record.ip ?? "",
            record.requestId ?? "", details,
        ].joined(separator: "\u{1e}")
    }

    /// ISO 8601 UTC with microseconds, as the table's reads give `at`.
    static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
        return "\(whole.dropLast()).\(String(format: "%06d", min(micros, 999_999)))Z"
    }
}
