import LoaHTTP
import LoaHarness
import LoaReceiver
import Testing

@Suite("A notice board's page server")
struct BoardServerTests {
    /// At a device's boot another program (an old receiver still closing, a kiosk tool) may
    /// hold the board's port: the board must serve once the port is free, not stay dark
    /// until the receiver is restarted.
    @Test("a port held by another program at start: the board serves once it is free")
    func busyPortAtStart() async throws {
        var squatter: HTTPServer? = try HTTPServer(host: "127.0.0.1", port: 0)
        let port = try #require(squatter?.port)
        let rig = try ReceiverRig(board: BoardSettings(port: port, communeName: "Xã thử nghiệm", hamletName: "Thôn A"))
        let receiver = try rig.receiver()
        let running = try await rig.start(receiver)
        defer { running.cancel() }
        try await Task.sleep(for: .seconds(1))
        #expect(await receiver.boardPort == nil, "the port is another's")

        squatter = nil  // its socket closes: the port is free
        #expect(squatter == nil)
        #expect(try await eventually(within: .seconds(15)) { await receiver.boardPort == port })
        let page = try await HTTPClient().get("http://127.0.0.1:\(port)/board.json", bodyLimit: 1 << 20)
        #expect(page.status == 200)
        #expect(String(decoding: page.body, as: UTF8.self).contains("Thôn A"))
    }
}
