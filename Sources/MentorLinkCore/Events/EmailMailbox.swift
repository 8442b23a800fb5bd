/// A display name and an address, as written into `From:`/`To:`: the mail adapter encodes the name.
public struct EmailMailbox: Sendable, Hashable {
    /// The person's name as stored (any text; controls are replaced when it is encoded).
    public var name: String
    /// The checked address.
    public var address: EmailAddress

    /// `name <address>`.
    public init(name: String, address: EmailAddress) {
        self.name = name
        self.address = address
    }
}
