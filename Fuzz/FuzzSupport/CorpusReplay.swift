import Foundation

/// Runs a fuzz body over files, for builds without libFuzzer (`FUZZING` unset): every file (or every file of a
/// directory) given on the command line is one input. scripts/test replays the committed corpus this way, so a past
/// crasher that comes back fails the suite even without a fuzzing run.
public enum CorpusReplay {
    /// Feeds each input to `body`; returns how many were run.
    @discardableResult public static func run(_ arguments: [String], _ body: ([UInt8]) -> Void) -> Int {
        var count = 0
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else { continue }
            let files =
                isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map { "\(argument)/\($0)" } : [argument]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                body(Array(data))
                count += 1
            }
        }
        print("replayed \(count) inputs")
        return count
    }
}
