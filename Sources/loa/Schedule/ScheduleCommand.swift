import ArgumentParser

/// `loa schedule`: the commune's broadcast schedule files (YAML under `Schedules/`).
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Lịch phát thanh của xã: các tệp YAML trong Schedules/ (the commune's broadcast schedule files).",
        subcommands: [
            ScheduleValidateCommand.self, SchedulePlanCommand.self, ScheduleApplyCommand.self, ScheduleApproveCommand.self, ScheduleStatusCommand.self,
        ])
}
