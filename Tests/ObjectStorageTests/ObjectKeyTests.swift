import MentorLinkCore
import Testing

@Suite struct ObjectKeyTests {
    @Test func keysThatCannotEscapeADirectoryOrABucket() {
        #expect(ObjectKey.isValid("recordings/r1/tracks/t1.webm"))
        for bad in ["", "/abs", "a//b", "a/../b", "./a", "a/", "a b", "a\\b", "ä", String(repeating: "a", count: 513)] {
            #expect(!ObjectKey.isValid(bad), "\(bad)")
        }
    }
}
