import Foundation
import MentorLinkClient
import Synchronization
import Testing

/// A request that arrives as the graceful shutdown begins is answered (200 when its handler ran, 503 `unavailable` when
/// it never did) or its connection is closed or reset; it never hangs (here: no answer within 10 s, far beyond a
/// loaded machine's delays: a hang lasted until the 75 s idle timeout). Without the
/// DrainGuard, 18 of 20 tries with no delay hung: Hummingbird dropped the connection (accepted as the listening socket
/// closed, it was never handed to a handler). How soon a refused or idle connection closes: DrainGuardTests.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DrainRaceTests {
    /// What one try saw (the client runs on its own thread, so the checks run afterwards, in the test).
    enum Outcome: Equatable {
        /// An answer, and whether the worker closed the connection after it (kept alive, the shutdown waited for it).
        case answered(status: Int, text: String, headers: [String: String], closedAfter: Bool)
        /// Closed or reset: still in the backlog as the socket closed, or closed before it was served.
        case closed
        /// No answer and no close within 10 s.
        case hung
    }

    @Test(arguments: [0.0, 0.001]) func requestAsShutdownBeginsIsAnsweredOrClosed(delay: Double) async throws {
        let outcomes = Mutex([Outcome]())
        for _ in 0..<20 {
            try await TestWorker.run { endpoint, control in
                let connection = try HTTPConnection(endpoint, timeout: 10)
                try connection.socket.write(
                    HTTPConnection.encode(
                        "POST", "/rpc", headers: ["Content-Type": "application/json"],
                        body: Array(#"{"jsonrpc":"2.0","id":1,"method":"test.sleep","params":[50]}"#.utf8)))
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                control.shutdown()
                let outcome: Outcome
                do {
                    let reply = try connection.readResponse()
                    outcome = .answered(
                        status: reply.status, text: reply.text, headers: reply.headers, closedAfter: connection.socket.isClosedByPeer())
                } catch ClientError.timeout { outcome = .hung } catch { outcome = .closed }
                outcomes.withLock { $0.append(outcome) }
            }
        }
        let all = outcomes.withLock { $0 }
        var served = 0
        var refused = 0
        for case .answered(let status, let text, let headers, let closedAfter) in all {
            switch status {
            case 200:
                served += 1
                #expect(text == #"{"jsonrpc":"2.0","result":true,"id":1}"#)
            case 503:
                refused += 1
                #expect(text.contains(#""reason":"unavailable""#))
                #expect(headers["retry-after"] == "1")
                #expect(headers["connection"] == "close")
            default:
                Issue.record("unexpected answer \(status): \(text)")
            }
            #expect(closedAfter, "the connection stayed open after the answer")
        }
        let hung = all.count { $0 == .hung }
        #expect(hung == 0, "\(hung) of \(all.count) tries got no answer and no close within 10 s")
        print("DrainRaceTests delay \(delay): \(served) answered, \(refused) refused 503, \(all.count { $0 == .closed }) closed, \(hung) hung")
    }
}
