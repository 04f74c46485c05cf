import ArgumentParser
import Foundation
import LoaController
import LoaFiles

/// `loa relay`: the Icecast server beside the controller that re-serves relays.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay", abstract: "Máy chủ tiếp sóng Icecast (the relay's Icecast server, docs/relay.md).",
        subcommands: [RelayIcecastConfigCommand.self])
}

/// `loa relay icecast-config`: writes Icecast's configuration for the controller's relay:
/// the source password of `relay.sourcePasswordFile`, a random admin password, every
/// listener checked by the controller. No password is ever a default.
struct RelayIcecastConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icecast-config",
        abstract: "Viết cấu hình Icecast cho tiếp sóng (write Icecast's configuration for the controller's relay).")

    @Option(help: "Controller settings file, with a `relay` section")
    var config: String
    @Option(help: "Where to write the configuration (mode 0640)")
    var output: String
    @Option(help: "The address Icecast listens on (the receivers must reach it)")
    var bind = "0.0.0.0"
    @Option(help: "The folder of Icecast's logs and pid file")
    var logDirectory = "/var/log/icecast2"
    @Option(help: "The user and group Icecast drops to when started as root, as user:group")
    var runAs = "icecast2:icecast"

    func run() async throws {
        let settings = try ControllerConfiguration.load(from: config)
        guard let relay = settings.relay, let port = URL(string: relay.icecastURL)?.port else {
            throw ValidationError("\(config): relay.icecastURL with a port is needed, e.g. \"relay\": {\"icecastURL\": \"http://127.0.0.1:8000\", …} (docs/relay.md)")
        }
        let owner = runAs.split(separator: ":").map(String.init)
        guard owner.count == 2 else { throw ValidationError("--run-as '\(runAs)': give user:group, e.g. icecast2:icecast") }
        let icecast = IcecastConfiguration(
            port: port, bindAddress: bind, sourcePassword: try String(contentsOfFile: relay.sourcePasswordFile, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines),
            adminPassword: Self.randomPassword(), listenerCheckURL: "\(settings.httpAddress)/relay/listeners",
            logDirectory: logDirectory, runAs: (owner[0], owner[1]))
        try DurableFile.write(Data(icecast.xml.utf8), to: URL(fileURLWithPath: output), mode: 0o640, exactMode: true)
        print("Đã viết \(output): Icecast cổng \(port), mỗi thiết bị nghe được kiểm tra tại \(settings.httpAddress)/relay/listeners")
        print("(wrote \(output): Icecast on port \(port), every listener checked at \(settings.httpAddress)/relay/listeners)")
    }

    /// 24 random bytes as hex.
    static func randomPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
