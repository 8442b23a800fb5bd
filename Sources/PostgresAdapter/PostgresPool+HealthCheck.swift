public import MentorLinkCore

extension PostgresPool: HealthCheck { public var name: String { "postgres" } }
