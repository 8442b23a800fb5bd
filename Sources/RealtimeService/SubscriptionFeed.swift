import Foundation
import JSONRPC
import MentorLinkCore
import Synchronization

/// One subscription's delivery to its session: events in seq order, each once. While the missed history is being
/// replayed, live events are held back and then only those newer than the replay are sent. Once ended, it sends
/// nothing more (the check and the push are one step under the feed's lock, so nothing slips out after the end).
final class SubscriptionFeed: Sendable {
    let id: String
    let channel: String
    let session: any RPCSession
    private let state = Mutex<(replaying: Bool, held: [ChannelEvent], last: Int64, ended: Bool)>((true, [], 0, false))

    init(id: String, channel: String, session: any RPCSession) {
        self.id = id
        self.channel = channel
        self.session = session
    }

    /// A live event from the bus.
    func deliver(_ event: ChannelEvent) {
        state.withLock { state in
            if state.ended { return }
            if state.replaying {
                state.held.append(event)
                return
            }
            guard event.seq > state.last else { return }
            state.last = event.seq
            session.push(text(event))
        }
    }

    /// Sends the replayed history, then whatever arrived meanwhile, and goes live.
    func finishReplay(_ history: [ChannelEvent], startingAfter seq: Int64) {
        var last = seq
        for event in history where event.seq > last {
            push(event)
            last = event.seq
        }
        while true {
            let held = state.withLock { state -> [ChannelEvent] in
                let held = state.held
                state.held = []
                if held.isEmpty {
                    state.replaying = false
                    state.last = max(state.last, last)
                }
                return held
            }
            if held.isEmpty { return }
            for event in held.sorted(by: { $0.seq < $1.seq }) where event.seq > last {
                push(event)
                last = event.seq
            }
        }
    }

    /// Stops the feed; with a reason, tells the client with a `subscription.ended` notification.
    func end(reason: String?) {
        state.withLock { state in
            guard !state.ended else { return }
            state.ended = true
            state.held = []
            guard let reason else { return }
            session.push(
                #"{"jsonrpc":"2.0","method":"subscription.ended","params":{"subscription":"\#(id)","channel":"\#(channel)","reason":"\#(reason)"}}"#)
        }
    }

    func push(_ event: ChannelEvent) {
        state.withLock { state in
            guard !state.ended else { return }
            session.push(text(event))
        }
    }

    func text(_ event: ChannelEvent) -> String {
        #"{"jsonrpc":"2.0","method":"subscription","params":{"subscription":"\#(id)","channel":"\#(channel)","seq":\#(event.seq),"event":"#
            + String(decoding: event.event, as: UTF8.self) + "}}"
    }
}
