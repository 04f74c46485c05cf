import Foundation
import LoaController
import LoaHarness
import LoaProtocol
import LoaStore
import Testing

/// `loa-receiver` as systemd runs it, and as an installer types it.
@Suite("The device binary")
struct ReceiverBinaryTests {
    let binary = URL(fileURLWithPath: loaExecutable()).deletingLastPathComponent().appendingPathComponent("loa-receiver").path

    /// `systemctl stop` sends SIGTERM: the device must say it is going offline and end
    /// cleanly (exit 0), not be killed after the unit's timeout.
    @Test("SIGTERM: the receiver publishes offline and exits 0 within seconds")
    func stopSignal() async throws {
        let commune = try await Commune()
        let file = commune.directory.path("receiver.json")
        try JSONEncoder().encode(try commune.receiverConfiguration("loa-a1", hamlet: "thon-a")).write(to: file)
        let pid = try ChildProcess.spawn(binary, ["--config", file.path], log: commune.directory.path("loa-receiver.log").path)
        defer { ChildProcess.stop(pid, signal: SIGKILL) }
        let status: @Sendable () async throws -> DeviceState.Status? = {
            try await commune.controller.store.devices().first { $0.device == "loa-a1" }?.status
        }
        #expect(try await eventually(within: .seconds(30)) { try await status() == .online })

        kill(pid, SIGTERM)
        var exit: Int32?
        #expect(try await eventually(within: .seconds(10)) {
            exit = ChildProcess.exitStatus(pid)
            return exit != nil
        })
        #expect(exit == 0, "exit status \(String(describing: exit))")
        #expect(try await eventually(within: .seconds(10)) { try await status() == .offline })
        await commune.stop()
    }

    @Test("a wrong command line exits 64 with the usage; a missing settings file exits 1 naming it; --help exits 0")
    func commandLine() async throws {
        let directory = try TemporaryDirectory(prefix: "loa-receiver-args")
        func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            let log = directory.path("run.log").path
            let status = await ChildProcess.ended(try ChildProcess.spawn(binary, arguments, log: log))
            return (status, try String(contentsOfFile: log, encoding: .utf8))
        }
        let nothing = try await run([])
        #expect(nothing.status == 64 << 8, "\(nothing)")
        #expect(nothing.output.contains("thiếu giá trị cho --config") && nothing.output.contains("USAGE: loa-receiver --config"))
        let xml = try await run(["--config", "r.json", "--log-format", "xml"])
        #expect(xml.status == 64 << 8 && xml.output.contains("'xml'"), "\(xml)")
        let missing = directory.path("no-such-receiver.json").path
        let absent = try await run(["--config", missing])
        #expect(absent.status == 1 << 8 && absent.output.contains(missing), "\(absent)")
        let help = try await run(["--help"])
        #expect(help.status == 0 && help.output.contains("Chạy thiết bị thu ở thôn"), "\(help)")
    }
}
