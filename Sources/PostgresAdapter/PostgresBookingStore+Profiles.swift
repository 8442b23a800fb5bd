public import Foundation
import Logging
public import MentorLinkCore
import PostgresNIO

extension PostgresBookingStore {
    public func saveProfile(mentorId: UUID, input: ProfileInput, now: Instant, freeRuns: FreeRunPolicy) async throws -> MentorProfile {
        let logger = self.logger
        let types = String(decoding: try JSONEncoder().encode(input.sessionTypes), as: UTF8.self)
        let price = input.sessionTypes.filter { $0.kind == .oneOnOne }.map(\.priceCredits).min() ?? 0
        let skillKeys = input.skills.map { $0.lowercased() }
        let topicKeys = input.topics.map { $0.lowercased() }
        let tagKeys = input.tags.map { $0.lowercased() }
        let languageKeys = input.languages.map { $0.lowercased() }
        let terms = (input.skills + input.topics + input.tags).joined(separator: " ")
        return try await pool.transaction(logger: logger) { connection in
            try await Self.lockMentor(mentorId, on: connection, logger: logger)
            let saved = try await connection.fetchFirst(
                MentorProfileRow.self,
                """
                INSERT INTO mentor_profiles AS p (user_id, name, headline, bio, skills, topics, tags, skill_keys, topic_keys, tag_keys,
                    languages, years_experience, time_zone, session_types, price_credits, search_vector, search_text, updated_at)
                SELECT u.id, u.name, \(input.headline), \(input.bio), \(input.skills), \(input.topics), \(input.tags), \(skillKeys),
                    \(topicKeys), \(tagKeys), \(languageKeys), \(input.yearsExperience), \(input.timeZone),
                    \(types)::jsonb, \(price),
                    mentor_search_vector(u.name, \(input.headline), \(terms), \(input.bio)),
                    mentor_search_text(u.name, \(input.headline), \(terms)), now()
                FROM users u WHERE u.id = \(mentorId)
                ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, headline = EXCLUDED.headline, bio = EXCLUDED.bio,
                    skills = EXCLUDED.skills, topics = EXCLUDED.topics, tags = EXCLUDED.tags, skill_keys = EXCLUDED.skill_keys,
                    topic_keys = EXCLUDED.topic_keys, tag_keys = EXCLUDED.tag_keys, languages = EXCLUDED.languages,
                    years_experience = EXCLUDED.years_experience, time_zone = EXCLUDED.time_zone, session_types = EXCLUDED.session_types,
                    price_credits = EXCLUDED.price_credits, search_vector = EXCLUDED.search_vector, search_text = EXCLUDED.search_text,
                    updated_at = now()
                RETURNING \(unescaped: MentorProfileRow.columns)
                """, logger: logger)
            guard let saved else { throw CoreError.notFound }
            try await connection.query(
                "INSERT INTO search_terms (term) SELECT DISTINCT x FROM unnest(\(skillKeys + topicKeys + tagKeys)::text[]) x ON CONFLICT DO NOTHING",
                logger: logger)
            try await connection.appendEvent("mentor.profile_updated", aggregate: "mentor", id: mentorId, payload: saved, logger: logger)
            try await Self.refreshRuns(mentorId, now: now, policy: freeRuns, on: connection, logger: logger)
            return saved
        }
    }

    public func profile(mentorId: UUID) async throws -> MentorProfile? {
        try await pool.read(logger: logger) { connection in
            try await connection.fetchFirst(
                MentorProfileRow.self, "SELECT \(unescaped: MentorProfileRow.columns) FROM mentor_profiles p WHERE p.user_id = \(mentorId)",
                logger: logger)
        }
    }

    public func saveAvailability(mentorId: UUID, rules: AvailabilityRules, now: Instant, audit: AuditEntry?, freeRuns: FreeRunPolicy) async throws {
        let logger = self.logger
        let weekly = String(decoding: try JSONEncoder().encode(rules.weekly), as: UTF8.self)
        let overrides = String(decoding: try JSONEncoder().encode(rules.overrides), as: UTF8.self)
        try await pool.transaction(logger: logger) { connection in
            try await Self.lockMentor(mentorId, on: connection, logger: logger)
            try await connection.query(
                """
                INSERT INTO availability_rules (mentor_id, time_zone, weekly, overrides, buffer_before_minutes, buffer_after_minutes,
                    min_notice_minutes, horizon_days, max_per_day, updated_at)
                VALUES (\(mentorId), \(rules.timeZone), \(weekly)::jsonb, \(overrides)::jsonb, \(rules.bufferBeforeMinutes),
                    \(rules.bufferAfterMinutes), \(rules.minNoticeMinutes), \(rules.horizonDays), \(rules.maxPerDay), now())
                ON CONFLICT (mentor_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, weekly = EXCLUDED.weekly,
                    overrides = EXCLUDED.overrides, buffer_before_minutes = EXCLUDED.buffer_before_minutes,
                    buffer_after_minutes = EXCLUDED.buffer_after_minutes, min_notice_minutes = EXCLUDED.min_notice_minutes,
                    horizon_days = EXCLUDED.horizon_days, max_per_day = EXCLUDED.max_per_day, updated_at = now()
                """, logger: logger)
            try await connection.appendEvent("availability.changed", aggregate: "mentor", id: mentorId, payload: rules, logger: logger)
            try await Self.refreshRuns(mentorId, now: now, policy: freeRuns, on: connection, logger: logger)
            if let audit { try await connection.appendAudit(audit.targeting(mentorId), logger: logger) }
        }
    }

    public func availability(mentorId: UUID) async throws -> AvailabilityRules? {
        try await pool.read(logger: logger) { connection in try await Self.rules(mentorId, on: connection, logger: logger) }
    }

    public func busy(mentorId: UUID, from: Instant, to: Instant, now: Instant) async throws -> [BusyInterval] {
        try await pool.read(logger: logger) { connection in
            try await Self.busy(mentorId, from: from, to: to, now: now, holds: true, on: connection, logger: logger)
        }
    }

    public func saveTemplate(mentorId: UUID, questions: [FormQuestion]) async throws {
        let json = String(decoding: try JSONEncoder().encode(questions), as: UTF8.self)
        try await pool.read(logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO form_templates (mentor_id, questions) VALUES (\(mentorId), \(json)::jsonb)
                ON CONFLICT (mentor_id) DO UPDATE SET questions = EXCLUDED.questions, updated_at = now()
                """, logger: logger)
        }
    }

    public func template(mentorId: UUID) async throws -> [FormQuestion] {
        try await pool.read(logger: logger) { connection in
            let rows = try await connection.query("SELECT questions::text FROM form_templates WHERE mentor_id = \(mentorId)", logger: logger)
            for try await text in rows.decode(String.self) { return try JSONDecoder().decode([FormQuestion].self, from: Data(text.utf8)) }
            return []
        }
    }

    public func saveAgenda(bookingId: UUID, answers: [String: String], now: Instant) async throws -> Booking {
        let logger = self.logger
        let json = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
        return try await pool.transaction(logger: logger) { connection in
            guard
                let booking = try await connection.fetchFirst(
                    BookingRow.self,
                    """
                    UPDATE bookings b SET agenda = \(json)::jsonb, updated_at = now()
                    WHERE b.id = \(bookingId) AND b.status = 'confirmed' AND b.starts_at > \(now.date) AND b.kind IN ('one_on_one', 'group_seat')
                    RETURNING \(unescaped: BookingRow.columns)
                    """, logger: logger)
            else { throw CoreError.invalidState("an agenda can be sent only for a confirmed booking before it starts") }
            try await connection.appendEvent(BookingEvent(name: .agendaSubmitted, payload: booking), logger: logger)
            return booking
        }
    }
}
