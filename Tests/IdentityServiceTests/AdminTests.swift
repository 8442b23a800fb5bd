import Foundation
import IdentityService
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import Testing

/// `admin.*` and the access matrix of every method, on the in-memory ports.
@Suite struct AdminTests {
    @Test func everyMethodTimesEveryRoleFromTheRegistry() async throws {
        let h = try await IdentityFixture.make()
        for method in h.dispatcher.methods.values.sorted(by: { $0.name < $1.name }) {
            let anonymous = try await h.call(method.name, "{}")
            switch method.access {
            case .public: #expect(anonymous.reason != "forbidden", "\(method.name) refused an anonymous caller")
            case .authenticated, .roles: #expect(anonymous.reason == "unauthenticated", "\(method.name) let an anonymous caller in")
            }
            for role in RPCRole.all {
                let principal = Principal(userId: UUID().uuidString, roles: [role], sessionId: UUID().uuidString)
                let outcome = try await h.call(method.name, "{}", principal: principal)
                if method.access.check(principal) == nil {
                    #expect(
                        outcome.reason != "forbidden" && outcome.reason != "unauthenticated" || method.name.hasPrefix("identity."),
                        "\(method.name) refused \(role)")
                } else {
                    #expect(outcome.reason == "forbidden", "\(method.name) let \(role) in")
                }
            }
        }
    }

    @Test func adminsManageUsersAndEveryActionIsAudited() async throws {
        let h = try await IdentityFixture.make()
        let admin = try await h.signUpAdmin()
        let user = try await h.signUp()
        #expect(try await h.call("admin.setRole", #"{"userId":"\#(admin.id)","role":"mentee"}"#, bearer: admin.access).reason == "forbidden")
        #expect(try await h.call("admin.disableUser", #"{"userId":"\#(admin.id)"}"#, bearer: admin.access).reason == "forbidden")
        let promoted = try await h.call("admin.setRole", #"{"userId":"\#(user.id)","role":"mentor"}"#, bearer: admin.access)
        #expect(promoted.object("user")?["roles"] as? [String] == ["mentor"])
        // The old token carries the old role: its session ended.
        #expect(try await h.call("identity.me", bearer: user.access).reason == "unauthenticated")
        let relogin = try await h.call("identity.login", #"{"email":"\#(user.email)","password":"\#(IdentityFixture.password)"}"#)
        #expect(relogin.object("user")?["roles"] as? [String] == ["mentor"])
        #expect(try await h.call("admin.disableUser", #"{"userId":"\#(user.id)"}"#, bearer: admin.access).error == nil)
        let listed = try await h.call("admin.listUsers", #"{"limit":10}"#, bearer: admin.access)
        #expect((listed.result?["items"] as? [Any])?.count == 2)
        let audit = try await h.call("audit.list", #"{"limit":100}"#, bearer: admin.access)
        let actions = Set((audit.result?["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
        #expect(actions.isSuperset(of: ["user.create", "login", "admin.set_role", "admin.disable_user"]))
        let text = String(describing: audit.result)
        #expect(!text.contains(IdentityFixture.password) && !text.contains(user.refresh) && !text.contains(user.access))
        #expect(try await h.store.verifyAudit().ok)
    }

    @Test func unknownUsersAreNotFound() async throws {
        let h = try await IdentityFixture.make()
        let admin = try await h.signUpAdmin()
        #expect(try await h.call("admin.setRole", #"{"userId":"\#(UUID())","role":"mentor"}"#, bearer: admin.access).reason == "not_found")
        #expect(try await h.call("admin.disableUser", #"{"userId":"\#(UUID())"}"#, bearer: admin.access).reason == "not_found")
        let badId = try await h.call("admin.setRole", #"{"userId":"nope","role":"mentor"}"#, bearer: admin.access)
        #expect(badId.reason == "invalid_params" && badId.invalidFields == ["userId"], "\(badId.invalidFields)")
        let badRole = try await h.call("admin.setRole", #"{"userId":"\#(UUID())","role":"wizard"}"#, bearer: admin.access)
        #expect(badRole.reason == "invalid_params" && badRole.invalidFields == ["role"], "\(badRole.invalidFields)")
    }

    @Test func listUsersPagesWithSealedCursors() async throws {
        let h = try await IdentityFixture.make()
        let admin = try await h.signUpAdmin()
        for _ in 0..<4 { _ = try await h.signUp() }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let params = cursor.map { #"{"limit":2,"cursor":"\#($0)"}"# } ?? #"{"limit":2}"#
            let page = try await h.call("admin.listUsers", params, bearer: admin.access)
            seen += (page.result?["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = page.result?["nextCursor"] as? String
        } while cursor != nil && seen.count < 10
        #expect(seen.count == 5 && Set(seen).count == 5)
        #expect(seen == seen.sorted { $0.uppercased() < $1.uppercased() })
        #expect(try await h.call("admin.listUsers", #"{"cursor":"\#(UUID())"}"#, bearer: admin.access).reason == "invalid_params")
    }
}
