public import Foundation
public import Logging
import PostgresNIO

/// Seeds data for `scripts/bench` straight into PostgreSQL (deterministic, from `hashtext` of the ids), in bulk
/// statements that take seconds where the API would take hours. Never used by the product.
public struct BenchmarkSeeder: Sendable {
    let pool: PostgresPool
    let logger: Logger

    /// A seeder over a pool.
    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// `count` mentors with profiles (3 of 100 skills, 2 of 20 topics, ratings, prices, languages), weekly rules, and
    /// free runs over the next 14 days (about 70% of days, 4–9 hours each).
    public func seedSearch(mentors count: Int) async throws {
        try await pool.client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO users (email, name, password_hash, roles)
                SELECT 'seed-' || i || '@bench.example', (ARRAY['Asha','Ben','Chen','Dana','Eli','Fatima','Gus','Hana','Ivan','Jo'])[1 + i % 10]
                    || ' ' || (ARRAY['Rao','Smith','Li','Garcia','Okafor','Kim','Novak','Silva','Khan','Berg','Ito'])[1 + i % 11] || ' ' || i,
                    'x', ARRAY['mentor']
                FROM generate_series(1, \(count)) AS i
                """, logger: logger)
            try await connection.query(
                """
                WITH v AS (SELECT ARRAY[
                        'Swift','Kotlin','Go','Rust','Python','Java','TypeScript','JavaScript','React','Vue','Angular','Svelte',
                        'Node.js','Deno','Ruby','Rails','PHP','Laravel','C#','.NET','C++','C','Scala','Elixir','Erlang','Haskell',
                        'Clojure','Dart','Flutter','iOS','Android','SwiftUI','Jetpack Compose','Kubernetes','Docker','Terraform',
                        'Ansible','AWS','GCP','Azure','Serverless','Linux','Networking','PostgreSQL','MySQL','MongoDB','Redis',
                        'Kafka','Elasticsearch','GraphQL','gRPC','REST API Design','System Design','Distributed Systems',
                        'Microservices','Observability','SRE','DevOps','CI/CD','Security','Cryptography','Penetration Testing',
                        'Machine Learning','Deep Learning','NLP','Computer Vision','Data Science','Data Engineering','Spark',
                        'Airflow','dbt','SQL','Statistics','Product Management','Product Design','UX Design','UI Design','Figma',
                        'User Research','Technical Writing','Leadership','Engineering Management','Agile','Scrum','Blockchain',
                        'Solidity','Game Development','Unity','Unreal Engine','Embedded Systems','Robotics','FPGA',
                        'Quantum Computing','Accessibility','Performance Tuning','Testing','QA Automation','Open Source',
                        'WebAssembly','Compilers'] AS skills,
                    ARRAY[
                        'Career Growth','Interview Prep','Startups','Fundraising','Code Review','Architecture','Promotion',
                        'Management','Freelancing','Open Source','Public Speaking','Negotiation','Career Switch','Hiring',
                        'Remote Work','Burnout','Side Projects','Portfolio Review','Salary','First Job'] AS topics),
                h AS (SELECT u.id, u.name, abs(hashtext(u.id::text)) AS a, abs(hashtext(u.id::text || 'b')) AS b FROM users u
                      WHERE u.email LIKE 'seed-%@bench.example'),
                p AS (SELECT h.*, ARRAY[v.skills[1 + a % 100], v.skills[1 + (a % 100 + 1 + (a / 100) % 98) % 100], v.skills[1 + b % 100]] AS skills,
                          ARRAY[v.topics[1 + b % 20], v.topics[1 + (b % 20 + 1 + (b / 20) % 19) % 20]] AS topics FROM h, v)
                INSERT INTO mentor_profiles (user_id, name, headline, bio, skills, topics, tags, skill_keys, topic_keys, tag_keys, languages,
                    years_experience, time_zone, session_types, price_credits, rating_sum, review_count, search_vector, search_text)
                SELECT id, name, skills[1] || ' mentor for ' || topics[1], 'I help engineers with ' || topics[2] || ' and ' || skills[2] || '.',
                    skills, topics, ARRAY[]::text[], ARRAY(SELECT lower(x) FROM unnest(skills) x), ARRAY(SELECT lower(x) FROM unnest(topics) x),
                    ARRAY[]::text[], CASE WHEN a % 4 = 0 THEN ARRAY['en','hi'] WHEN a % 4 = 1 THEN ARRAY['en','de'] ELSE ARRAY['en'] END,
                    a % 30, 'UTC', jsonb_build_array(jsonb_build_object('kind','one_on_one','minutes',60,'priceCredits',(b % 10) * 10)),
                    (b % 10) * 10, (b % 200) * (30 + a % 21) / 10, b % 200,
                    mentor_search_vector(name, skills[1] || ' mentor for ' || topics[1], array_to_string(skills || topics, ' '),
                        'I help engineers with ' || topics[2] || ' and ' || skills[2] || '.'),
                    mentor_search_text(name, skills[1] || ' mentor for ' || topics[1], array_to_string(skills || topics, ' '))
                FROM p
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO availability_rules (mentor_id, time_zone, weekly)
                SELECT user_id, 'UTC', (SELECT jsonb_agg(jsonb_build_object('day', d, 'start', lpad((6 + abs(hashtext(user_id::text)) % 6)::text, 2, '0') || ':00',
                        'end', lpad((10 + abs(hashtext(user_id::text)) % 6 + abs(hashtext(user_id::text || 'b')) % 6)::text, 2, '0') || ':00'))
                    FROM unnest(ARRAY['mon','tue','wed','thu','fri','sat','sun']) d)
                FROM mentor_profiles WHERE user_id IN (SELECT id FROM users WHERE email LIKE 'seed-%@bench.example')
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO availability_runs (mentor_id, starts_at, ends_at, step_seconds, slot_seconds)
                SELECT r.mentor_id, date_trunc('day', now()) + make_interval(days => d, hours => 6 + abs(hashtext(r.mentor_id::text)) % 6),
                    date_trunc('day', now()) + make_interval(days => d, hours => 10 + abs(hashtext(r.mentor_id::text)) % 6 + abs(hashtext(r.mentor_id::text || 'b')) % 6),
                    3600, 3600
                FROM availability_rules r, generate_series(0, 13) AS d
                WHERE abs(hashtext(r.mentor_id::text || d::text)) % 10 < 7
                """, logger: logger)
        }
        try await pool.client.query(
            """
            UPDATE mentor_profiles p SET next_free_at = r.first FROM (SELECT mentor_id, min(starts_at) AS first FROM availability_runs GROUP BY 1) r
            WHERE r.mentor_id = p.user_id
            """, logger: logger)
        try await pool.client.query(
            "INSERT INTO search_terms (term) SELECT DISTINCT x FROM mentor_profiles, unnest(skill_keys || topic_keys) x ON CONFLICT DO NOTHING",
            logger: logger)
        try await pool.client.query("VACUUM ANALYZE", logger: logger)
    }

    /// Creates users with a role, returning their ids.
    public func users(_ count: Int, role: String, prefix: String) async throws -> [UUID] {
        let rows = try await pool.client.query(
            """
            INSERT INTO users (email, name, password_hash, roles)
            SELECT \(prefix) || '-' || i || '-' || gen_random_uuid() || '@bench.example', 'Bench ' || \(role) || ' ' || i, 'x', ARRAY[\(role)]
            FROM generate_series(1, \(count)) AS i RETURNING id
            """, logger: logger)
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }
}
