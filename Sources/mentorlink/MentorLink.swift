import ArgumentParser

/// The one binary with many roles.
struct MentorLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentorlink", abstract: "MentorLink: the mentorship platform backend.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, RPCCommand.self, DevKafkaCommand.self, LoadCommand.self,
            JSONBenchCommand.self, HashBenchCommand.self, UserCommand.self, SeedCommand.self, LedgerCommand.self, DevPaymentsCommand.self,
            RelayCommand.self, ConsumeCommand.self, FanoutBenchCommand.self, MediaCommand.self,
        ])
}
