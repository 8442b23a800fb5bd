import MediaPipeline
import Testing

@Suite struct TranscoderTests {
    @Test func linksFFmpegsLibraries() {
        #expect(Transcoder.libraryVersion >> 16 == 59, "Debian 12's libavformat 59")
    }
}
