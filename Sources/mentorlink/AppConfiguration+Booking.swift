import BookingService
import MentorLinkCore

extension AppConfiguration {
    /// The booking settings this deployment runs with, made here only: the worker's booking methods, its escrow
    /// release and reminders, and `mentorlink ledger settle` read the same grace period and platform fee. The worker
    /// adds its cursor key and the availability port.
    var bookingConfiguration: BookingConfiguration {
        var configuration = BookingConfiguration()
        configuration.completionGrace = completionGrace
        configuration.platformFee = PlatformFeePolicy(percent: platformFeePercent)
        return configuration
    }
}
