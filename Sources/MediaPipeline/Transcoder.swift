import CMedia

/// The transcoder (being written).
public enum Transcoder {
    /// libavformat's version number.
    public static var libraryVersion: Int { Int(ml_media_version()) }
}
