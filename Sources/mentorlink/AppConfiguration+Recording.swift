import RecordingService

extension AppConfiguration {
    /// The recording settings this deployment runs with, made here only: the worker's `recordings.*`, its tus
    /// endpoint and its empty-room stop, and the media janitor (its finalize deadline) read the same values.
    var recordingConfiguration: RecordingConfiguration {
        var configuration = RecordingConfiguration()
        configuration.emptyRoomGrace = recordingEmptyGrace
        configuration.maxTracksPerParticipant = recordingMaxTracks
        configuration.maxTrackBytes = recordingMaxTrackBytes
        return configuration
    }

    /// Where the tus endpoint stages tracks' bytes on this host (the media consumer reads and sweeps them there).
    var uploadStagingRoot: String { "\(runDirectory)/uploads" }
}
