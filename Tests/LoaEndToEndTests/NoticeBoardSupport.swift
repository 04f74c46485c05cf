import Foundation
import LoaController
import LoaDomain
import LoaMQTT
import LoaProtocol
import LoaReceiver
import LoaStore
import LoaHarness
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A notice-board device (no speaker) of a `Commune`, running in a task, and signed schedule
/// documents with notices published to it as the controller would (with the controller's key).
final class BoardDevice: Sendable {
    let commune: Commune
    let device: String
    let hamlet: String
    let configuration: ReceiverConfiguration
    let clock: @Sendable () -> Date
    private let running = Mutex<(receiver: Receiver, task: Task<Void, any Error>)?>(nil)
    private let publisher: MQTTClient
    private let signer: MessageSigner
    private let nextVersion = Mutex(1_000_000)

    /// A board of `hamlet`; with `speaker`, the device also plays audio (an ALSA file PCM).
    init(
        _ commune: Commune, device: String, hamlet: String = "thon-a", speaker: Bool = false,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.commune = commune
        self.device = device
        self.hamlet = hamlet
        self.clock = clock
        var configuration = try commune.receiverConfiguration(device, hamlet: hamlet)
        if !speaker { configuration.audio = nil }
        configuration.board = BoardSettings(port: 0, rotateSeconds: 20, communeName: commune.site.name,
            hamletName: commune.site.hamlet(hamlet)?.name ?? hamlet)
        self.configuration = configuration
        publisher = try MQTTClient(options: .init(host: "127.0.0.1", port: commune.broker.port, clientID: "board-test-\(device)"))
        try await publisher.waitUntilConnected()
        signer = MessageSigner(key: try SigningKey.loadOrCreate(
            name: ControllerConfiguration.keyName(site: commune.site.id),
            at: commune.directory.path("controller/controller.key")))
    }

    /// The receiver now running.
    var receiver: Receiver { running.withLock { $0!.receiver } }

    /// Starts (or restarts, on the same state folder) the receiver and waits until its board serves.
    func start() async throws {
        let receiver = try Receiver(configuration: configuration, clock: clock)
        running.withLock { $0 = (receiver, Task { try await receiver.run() }) }
        _ = try await port()
    }

    /// Stops the receiver and waits for it.
    func stop() async {
        let current = running.withLock { $0 }
        current?.task.cancel()
        _ = try? await current?.task.value
    }

    /// The board's port, once it serves.
    func port() async throws -> Int {
        for _ in 0..<100 {
            if let port = await receiver.boardPort { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BoardTestError("the board did not start serving")
    }

    func url(_ path: String) async throws -> URL { URL(string: "http://127.0.0.1:\(try await port())\(path)")! }

    /// Publishes the next document of the hamlet, sealed with the controller's key, with `notices`.
    func publish(_ notices: [BoardNotice]) async throws {
        let version = nextVersion.withLock { $0 += 1; return $0 }
        let now = clock()
        let document = ZoneSchedule(
            site: commune.site.id, zone: hamlet, version: version, issuedAt: now, items: [],
            timeZone: "Asia/Ho_Chi_Minh", notices: notices)
        let topic = Topics(site: commune.site.id).zoneSchedule(hamlet)
        let payload = try WireCoding.encode(document)
        // Stored as the controller stores what it publishes, so the board's reports about
        // these notices are checked against them (the store's own version is not used).
        _ = try await commune.controller.store.publishNextZoneDocument(zone: hamlet, at: now) { _, _ in (payload, nil, ()) }
        let sealed = try signer.seal(
            payload: payload, topic: topic, version: version, issuedAt: now,
            expiresAt: now.addingTimeInterval(72 * 3600))
        try await publisher.publish(topic: topic, payload: sealed, qos: .atLeastOnce, retain: true)
    }

    /// `GET /board.json`'s notice ids and mode, once they satisfy `condition` (or the last seen).
    func board(until condition: @Sendable (BoardJSONView) -> Bool = { _ in true }) async throws -> BoardJSONView {
        try await Self.board(at: try await url("/board.json"), until: condition)
    }

    /// `GET {url}` (a board's `/board.json`), polled until it satisfies `condition` (or the last seen).
    static func board(at url: URL, until condition: @Sendable (BoardJSONView) -> Bool) async throws -> BoardJSONView {
        var last: BoardJSONView?
        for _ in 0..<100 {
            let (data, _) = try await HTTP.get(url)
            let view = try WireCoding.decode(BoardJSONView.self, from: data)
            if condition(view) { return view }
            last = view
            try await Task.sleep(for: .milliseconds(100))
        }
        return try #require(last)
    }

    /// Reports, as the page does, that the board shows `ids`.
    func reportShown(_ ids: [String]) async throws {
        let status = try await HTTP.post(try await url("/displayed"), json: try JSONEncoder().encode(["ids": ids]))
        #expect(status == 204)
    }

    /// The events of `kind` the controller stored for `item` from this device, once there are `count`.
    func events(_ item: String, _ kind: DeviceEvent.Kind, count: Int, within timeout: Duration = .seconds(15)) async throws -> [DeviceEvent] {
        let deadline = ContinuousClock.now + timeout
        var events: [DeviceEvent] = []
        repeat {
            events = try await commune.controller.store.events(item: item, device: device).filter { $0.kind == kind }
            if events.count >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        return events
    }

    func close() async {
        await stop()
        await publisher.close()
    }
}

/// The part of `GET /board.json` the tests read (decoded with `WireCoding`, as it is encoded).
struct BoardJSONView: Decodable, Sendable {
    var mode: String
    var notices: [BoardNotice]
    var ids: [String] { notices.map(\.id) }
}

/// Small HTTP calls to the board.
enum HTTP {
    static func get(_ url: URL) async throws -> (Data, Int) {
        let (data, response) = try await LoopbackHTTP.data(from: url)
        return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    static func post(_ url: URL, json: Data, contentType: String = "application/json") async throws -> Int {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = json
        let (_, response) = try await LoopbackHTTP.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

/// Headless Chromium (`/usr/bin/chromium`, Debian package `chromium`) run on a page.
enum Chromium {
    static let path = "/usr/bin/chromium"

    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// The browser's environment: this process's (with the shifted wall clock of
    /// `deploy/test-any-hour.sh`, if any: a board's page reads the same clock as its
    /// receiver), with `HOME` in `home`.
    static func environment(home: TemporaryDirectory) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.url.path
        return environment
    }

    /// Runs Chromium headless at 1920×1080 on `url` with `extra` arguments (`--screenshot=…`,
    /// `--dump-dom`), letting the page's scripts run for `virtualMilliseconds`; returns its output.
    static func run(_ url: URL, _ extra: [String], virtualMilliseconds: Int = 3000) async throws -> String {
        let home = try TemporaryDirectory(prefix: "loa-chromium")
        defer { home.remove() }
        let log = home.path("output.txt").path
        let arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1920,1080",
            "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=\(home.path("profile").path)",
            "--virtual-time-budget=\(virtualMilliseconds)",
        ] + extra + [url.absoluteString]
        let pid = try ChildProcess.spawn(path, arguments, environment: environment(home: home), log: log)
        let deadline = ContinuousClock.now + .seconds(90)
        while ChildProcess.exitStatus(pid) == nil {
            guard ContinuousClock.now < deadline else {
                ChildProcess.stop(pid)
                throw BoardTestError("chromium did not finish within 90 s")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    }

    /// The DOM after the scripts ran (`--dump-dom`).
    static func dom(_ url: URL) async throws -> String {
        let output = try await run(url, ["--dump-dom"])
        guard let start = output.range(of: "<html"), let end = output.range(of: "</html>", options: .backwards) else {
            throw BoardTestError("chromium printed no DOM: \(output.suffix(2000))")
        }
        return String(output[start.lowerBound..<end.upperBound])
    }

    /// A 1920×1080 screenshot of `url` saved at `file`.
    static func screenshot(_ url: URL, to file: URL) async throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: file)
        let output = try await run(url, ["--screenshot=\(file.path)"])
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw BoardTestError("chromium made no screenshot: \(output.suffix(2000))")
        }
    }
}

/// Where the tests leave what a person should look at: `.test-artifacts/` at the repository root.
enum TestArtifacts {
    static var screenshots: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".test-artifacts/screenshots")
    }
}

struct BoardTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
