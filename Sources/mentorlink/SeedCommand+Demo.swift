import Foundation
import IdentityService
import Logging
import MentorLinkCore
import PaymentsService
import PostgresAdapter

/// `mentorlink seed demo`: what `scripts/run` seeds so a newcomer can try every flow in the browser: an admin, a
/// mentee with credits, and a few mentors in different time zones with profiles, weekly availability, priced session
/// types, an agenda template and a group session. Accounts go through `UserCreation` (real password hashes); one random
/// password per run directory, written with the emails to `<run dir>/demo-credentials.txt` (mode 0600) and printed.
/// Seeding again prints that file and changes nothing.
extension SeedCommand {
    /// One demo mentor.
    struct DemoMentor {
        var handle: String
        var name: String
        var profile: ProfileInput
        var days: [Weekday]
        var hours: ClockRange
        var questions: [FormQuestion] = []
        var group: (title: String, topic: String, inDays: Int, hour: Int, capacity: Int, price: Int)?
    }

    /// Local opening hours (start and end, minutes after midnight).
    struct ClockRange {
        var start: Int
        var end: Int
    }

    static let demoDomain = "demo.mentorlink.test"
    static let demoCredits = 200

    static let demoMentors: [DemoMentor] = {
        let weekdays: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
        func input(
            _ headline: String, _ bio: String, _ skills: [String], _ topics: [String], _ years: Int, _ zone: String, _ types: [SessionType]
        ) -> ProfileInput {
            ProfileInput(
                headline: headline, bio: bio, skills: skills, topics: topics, tags: ["demo"], yearsExperience: years, languages: ["en"],
                timeZone: zone, sessionTypes: types)
        }
        return [
            DemoMentor(
                handle: "ada", name: "Ada Lovelace",
                profile: input(
                    "Swift and concurrency, from first app to server",
                    "I have shipped iOS apps and Swift services for twelve years.\nBring code: we read it together.",
                    ["swift", "ios", "concurrency"], ["code review", "career"], 12, "Europe/London",
                    [SessionType(kind: .oneOnOne, minutes: 30, priceCredits: 20), SessionType(kind: .oneOnOne, minutes: 60, priceCredits: 35)]),
                days: weekdays, hours: ClockRange(start: 9 * 60, end: 17 * 60),
                questions: [
                    FormQuestion(id: "goal", label: "What do you want to get out of the session?", kind: .text, required: true),
                    FormQuestion(id: "repo", label: "A link to your code (optional)", kind: .url, required: false),
                ]),
            DemoMentor(
                handle: "grace", name: "Grace Hopper",
                profile: input(
                    "Kubernetes, Go and distributed systems", "Platform engineer; I help teams run what they build.",
                    ["kubernetes", "go", "distributed systems"], ["architecture", "on-call"], 18, "America/New_York",
                    [SessionType(kind: .oneOnOne, minutes: 60, priceCredits: 50), SessionType(kind: .group, minutes: 60, priceCredits: 10)]),
                days: weekdays + [.sat], hours: ClockRange(start: 8 * 60, end: 20 * 60),
                questions: [
                    FormQuestion(
                        id: "level", label: "How much Kubernetes have you run?", kind: .choice, required: true, choices: ["none", "some", "lots"])
                ], group: (title: "Kubernetes office hours", topic: "Bring your cluster questions", inDays: 3, hour: 16, capacity: 8, price: 10)),
            DemoMentor(
                handle: "ravi", name: "Ravi Kumar",
                profile: input(
                    "React, TypeScript and fast web apps", "Front-end lead. Free half hours for anyone starting out.",
                    ["react", "typescript", "web performance"], ["first job", "interviews"], 8, "Asia/Kolkata",
                    [SessionType(kind: .oneOnOne, minutes: 30, priceCredits: 0)]), days: Weekday.allCases,
                hours: ClockRange(start: 10 * 60, end: 22 * 60)),
            DemoMentor(
                handle: "linh", name: "Linh Nguyen",
                profile: input(
                    "Product management and career moves", "From engineer to head of product; happy to talk career changes.",
                    ["product management", "roadmaps"], ["career", "interviews"], 10, "Asia/Ho_Chi_Minh",
                    [SessionType(kind: .oneOnOne, minutes: 45, priceCredits: 25)]), days: weekdays, hours: ClockRange(start: 18 * 60, end: 23 * 60)),
        ]
    }()

    /// Where the demo's credentials are kept.
    static func demoCredentialsFile(_ config: AppConfiguration) -> String { "\(config.runDirectory)/demo-credentials.txt" }

    /// Prints the credentials of a demo seeded before; false when there is none.
    static func printSeededDemo(config: AppConfiguration) -> Bool {
        guard let existing = try? String(contentsOfFile: demoCredentialsFile(config), encoding: .utf8) else { return false }
        print(existing, terminator: "")
        return true
    }

    func seedDemo(config: AppConfiguration, pool: PostgresPool, logger: Logger) async throws {
        let file = Self.demoCredentialsFile(config)
        let password = Self.demoPassword()
        let identity = PostgresIdentityStore(pool: pool, logger: logger)
        let booking = PostgresBookingStore(pool: pool, logger: logger)
        let payments = PostgresPaymentsStore(pool: pool, logger: logger)
        func account(_ handle: String, _ name: String, _ role: Role) async throws -> User {
            do {
                return try await UserCreation.create(
                    store: identity, email: "\(handle)@\(Self.demoDomain)", name: name, password: password, role: role)
            } catch IdentityError.emailTaken {
                throw ConfigurationError("demo accounts exist but \(file) is gone; use a fresh run directory (or scripts/run --stop and remove it)")
            }
        }
        var lines = ["Demo accounts (password for every one: \(password)):"]
        _ = try await account("admin", "Ari Admin", .admin)
        lines.append("  admin   admin@\(Self.demoDomain)")
        let mentee = try await account("mina", "Mina Mentee", .mentee)
        _ = try await payments.adjust(
            userId: mentee.id, credits: Self.demoCredits, reason: "demo credits", audit: AuditEntry(actorId: nil, action: "demo.fund"))
        lines.append("  mentee  mina@\(Self.demoDomain)  (\(Self.demoCredits) credits)")
        let now = Instant(Date())
        for mentor in Self.demoMentors {
            let user = try await account(mentor.handle, mentor.name, .mentor)
            _ = try await booking.saveProfile(mentorId: user.id, input: mentor.profile, now: now, freeRuns: FreeRunPolicy())
            let weekly = mentor.days.map {
                WeeklyWindow(day: $0, start: ClockTime(minutes: mentor.hours.start), end: ClockTime(minutes: mentor.hours.end))
            }
            try await booking.saveAvailability(
                mentorId: user.id, rules: AvailabilityRules(timeZone: mentor.profile.timeZone, weekly: weekly, minNoticeMinutes: 60), now: now,
                audit: nil, freeRuns: FreeRunPolicy())
            if !mentor.questions.isEmpty { try await booking.saveTemplate(mentorId: user.id, questions: mentor.questions) }
            if let group = mentor.group {
                let day = (Int(Date().timeIntervalSince1970) / 86_400 + group.inDays) * 86_400
                let start = Instant(Date(timeIntervalSince1970: TimeInterval(day + group.hour * 3600)))
                _ = try await booking.createGroup(
                    NewGroupSession(
                        mentorId: user.id, start: start, end: start.adding(minutes: 60), capacity: group.capacity, title: group.title,
                        topic: group.topic, priceCredits: group.price, audit: nil), now: now, freeRuns: FreeRunPolicy())
            }
            lines.append("  mentor  \(mentor.handle)@\(Self.demoDomain)  \(mentor.name), \(mentor.profile.timeZone)")
        }
        let text = lines.joined(separator: "\n") + "\n"
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        print(text, terminator: "")
    }

    /// Four groups of four letters and digits (no look-alikes), from the system's random source.
    static func demoPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String((0..<4).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }) }.joined(
            separator: "-")
    }
}
