import ArgumentParser

/// `loa`: the controller, the receiver and the officer's commands in one binary.
@main
struct Loa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa",
        abstract: "Loa — hệ thống truyền thanh thông minh cấp xã (commune loudspeaker network).",
        subcommands: [ControllerCommand.self, ReceiverCommand.self, AnnounceCommand.self, LogCommand.self, ReportCommand.self, DeviceCommand.self,
            ScheduleCommand.self, UserCommand.self, KeyCommand.self, ProvinceCommand.self, RelayCommand.self, LiveCommand.self])
}
