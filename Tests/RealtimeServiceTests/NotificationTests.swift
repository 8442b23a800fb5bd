import Foundation
import JSONRPC
import MentorLinkCore
import MentorLinkTesting
import RealtimeService
import ServiceSupport
import Testing

/// The notification inbox and the push subscriptions, in-process.
@Suite struct NotificationTests {
    func items(_ outcome: Outcome) -> [[String: Any]] { outcome.result?["items"] as? [[String: Any]] ?? [] }

    @Test func inboxListsNewestFirstPagesAndMarksRead() async throws {
        let f = RealtimeFixture()
        let me = RealtimeFixture.user(.mentee)
        let other = RealtimeFixture.user(.mentee)
        for index in 1...5 { f.notifications.add(NewNotification(userId: me.id, type: "t", title: "n\(index)", body: "")) }
        f.notifications.add(NewNotification(userId: other.id, type: "t", title: "not mine", body: ""))
        var titles: [String] = []
        var cursor: String?
        repeat {
            let params = cursor.map { #"{"limit":2,"cursor":"\#($0)"}"# } ?? #"{"limit":2}"#
            let page = try await f.call("notifications.list", params, as: me)
            titles += items(page).compactMap { $0["title"] as? String }
            cursor = page.result?["nextCursor"] as? String
        } while cursor != nil && titles.count < 10
        #expect(titles == ["n5", "n4", "n3", "n2", "n1"])
        let ids = items(try await f.call("notifications.list", as: me)).compactMap { $0["id"] as? Int }
        let marked = try await f.call("notifications.markRead", #"{"ids":[\#(ids[0]),\#(ids[1]),6]}"#, as: me)
        #expect(marked.result?["updated"] as? Int == 2, "another's notification is not marked")
        #expect(try await f.call("notifications.markRead", #"{"ids":[\#(ids[0])]}"#, as: me).result?["updated"] as? Int == 0)
        let unread = try await f.call("notifications.list", #"{"unreadOnly":true,"limit":1}"#, as: me)
        #expect(items(unread).count == 1)
        #expect(unread.result?["unreadCount"] as? Int == 3, "the count is the inbox's, not the page's")
    }

    @Test func inboxRefusals() async throws {
        let f = RealtimeFixture()
        let me = RealtimeFixture.user(.mentee)
        #expect(try await f.call("notifications.list", as: nil).reason == "unauthenticated")
        #expect(try await f.call("notifications.list", #"{"limit":0}"#, as: me).invalidFields == ["limit"])
        #expect(try await f.call("notifications.list", #"{"cursor":"AAAA"}"#, as: me).reason == "invalid_params")
        #expect(try await f.call("notifications.markRead", #"{"ids":[]}"#, as: me).invalidFields == ["ids"])
        let tooMany = "[" + (1...501).map(String.init).joined(separator: ",") + "]"
        #expect(try await f.call("notifications.markRead", #"{"ids":\#(tooMany)}"#, as: me).invalidFields == ["ids"])
        f.notifications.outage.set(true)
        #expect(try await f.call("notifications.list", as: me).reason == "unavailable")
    }

    @Test func subscriptionsNeedAWebSocketAndAreBounded() async throws {
        let f = RealtimeFixture()
        let me = RealtimeFixture.user(.mentor)
        let session = TestSession()
        defer { session.close() }
        #expect(try await f.call("availability.subscribe", #"{"mentorId":"\#(me.id)"}"#, as: me).reason == "websocket_required")
        #expect(try await f.call("notifications.subscribe", as: nil, on: session).reason == "unauthenticated")
        var last: Outcome?
        for _ in 0..<6 { last = try await f.call("availability.subscribe", #"{"mentorId":"\#(me.id)"}"#, as: nil, on: session) }
        #expect(last?.reason == "too_many_subscriptions")
        #expect(f.subscriptions[0].count == 5)
        #expect(try await f.call("availability.unsubscribe", #"{"subscription":"nope"}"#, as: nil, on: session).reason == "not_found")
    }

    @Test func eventsReachTheOwnerOnEveryWorkerAndReplayOnReconnect() async throws {
        let f = RealtimeFixture()
        let me = RealtimeFixture.user(.mentee)
        let first = TestSession()
        let second = TestSession()
        defer { [first, second].forEach { $0.close() } }
        let subscribed = try await f.call("notifications.subscribe", as: me, on: first, worker: 0)
        #expect(subscribed.result?["channel"] as? String == Channels.user(me.id) && subscribed.result?["seq"] as? Int == 0)
        _ = try await f.call("notifications.subscribe", as: me, on: second, worker: 1)
        for index in 1...3 { try await f.bus.publish(channel: Channels.user(me.id), event: Array(#"{"type":"n","n":\#(index)}"#.utf8)) }
        for session in [first, second] { #expect(session.notifications().compactMap { $0["seq"] as? Int } == [1, 2, 3]) }
        // A reconnect that saw seq 1 gets 2 and 3, in order, then live events.
        let again = TestSession()
        defer { again.close() }
        let resumed = try await f.call("notifications.subscribe", #"{"sinceSeq":1}"#, as: me, on: again, worker: 1)
        #expect(resumed.result?["recovered"] as? Bool == true && resumed.result?["seq"] as? Int == 3)
        try await f.bus.publish(channel: Channels.user(me.id), event: Array(#"{"type":"n","n":4}"#.utf8))
        #expect(again.notifications().compactMap { $0["seq"] as? Int } == [2, 3, 4])
    }

    @Test func aGapOlderThanTheHistoryIsNotRecovered() async throws {
        let f = RealtimeFixture()
        let mentor = UUID()
        let session = TestSession()
        defer { session.close() }
        for _ in 0..<(f.bus.historyLength + 5) {
            try await f.bus.publish(channel: Channels.availability(mentorId: mentor), event: Array(#"{"type":"slots.changed"}"#.utf8))
        }
        let resumed = try await f.call("availability.subscribe", #"{"mentorId":"\#(mentor)","sinceSeq":2}"#, as: nil, on: session)
        #expect(resumed.result?["recovered"] as? Bool == false)
        #expect(session.notifications().isEmpty)
    }

    @Test func unsubscribingAndClosingReleaseTheListeners() async throws {
        let f = RealtimeFixture()
        let me = RealtimeFixture.user(.mentee)
        let session = TestSession()
        let id = try #require(try await f.call("notifications.subscribe", as: me, on: session).result?["subscription"] as? String)
        _ = try await f.call("availability.subscribe", #"{"mentorId":"\#(UUID())"}"#, as: me, on: session)
        #expect(f.bus.listenerCount == 2)
        #expect(try await f.call("notifications.unsubscribe", #"{"subscription":"\#(id)"}"#, as: me, on: session).result?["ok"] as? Bool == true)
        #expect(f.bus.listenerCount == 1)
        try await f.bus.publish(channel: Channels.user(me.id), event: Array(#"{"type":"n"}"#.utf8))
        #expect(session.notifications().isEmpty)
        session.close()
        try await f.eventually { f.bus.listenerCount == 0 && f.subscriptions[0].count == 0 }
    }
}
