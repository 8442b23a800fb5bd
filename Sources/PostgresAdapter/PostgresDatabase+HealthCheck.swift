public import MentorLinkCore

extension PostgresDatabase: HealthCheck {
    public var name: String { "postgres" }
}
