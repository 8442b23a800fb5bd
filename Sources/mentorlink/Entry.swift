import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// The process's entry point. With `MENTORLINK_NIO_EXECUTOR=1` a worker first makes NIO's event loops Swift Concurrency's global executor, so that a
/// request's tasks run on the thread that does its socket's I/O instead of hopping to Swift's own pool and back for
/// every read and write (issue 17's profile of `system.ping`: a third of a worker's CPU was the kernel switching
/// threads). Nothing in a worker blocks a thread: password hashing runs on NIO's thread pool, files on Dispatch, and
/// the FFmpeg work is in `mentorlink consume`'s own thread. Opt-in until the whole of `scripts/test` has run with it.
@main enum Entry {
    static func main() async {
        if CommandLine.arguments.dropFirst().first == "worker", ProcessInfo.processInfo.environment["MENTORLINK_NIO_EXECUTOR"] == "1" {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await MentorLink.main()
    }
}
