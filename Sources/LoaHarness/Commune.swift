public import Foundation
import LoaAudio
public import LoaController
public import LoaDomain
public import LoaProtocol
public import LoaReceiver
import LoaStore
import Synchronization

/// A whole commune on real parts: a Mosquitto broker on a free loopback port,
/// the controller (SQLite on disk, HTTP on a free port) and receivers whose
/// ALSA output is a `file` PCM writing WAV.
public final class Commune: Sendable {
    public let broker: MosquittoBroker
    public let directory: TemporaryDirectory
    public let running: InProcessController
    public var controller: Controller { running.controller }
    public var httpPort: Int { running.httpPort }
    public let site: Site

    /// The test commune: two hamlets, `thon-a` (Thôn Đông) and `thon-b` (Thôn Đoài).
    public static let testSite = Site(id: "xa-thu-nghiem", name: "Xã Thử Nghiệm", hamlets: [
        Hamlet(id: "thon-a", name: "Thôn Đông"), Hamlet(id: "thon-b", name: "Thôn Đoài"),
    ])

    /// Starts the broker and the controller; receivers are made with `receiver(_:hamlet:)`.
    /// - Parameters:
    ///   - site: the commune the controller serves.
    ///   - quietHours: the controller's quiet hours, sent in every schedule document.
    ///   - keyRotationNoticeSeconds: the least notice of a key rotation (default 600 s).
    ///   - clock: the controller's time source.
    ///   - relay: the controller's relay settings, made from the folder the commune keeps
    ///     (`prepareRelay(in:)`, say, writes the source password there).
    ///   - store: the store engine; SQLite in the data folder when nil.
    public init(
        site: Site = Commune.testSite, quietHours: [QuietHours]? = nil, keyRotationNoticeSeconds: Double? = nil,
        relay: (@Sendable (TemporaryDirectory) throws -> RelaySettings)? = nil, store: ControllerConfiguration.StoreSettings? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.site = site
        broker = try MosquittoBroker()
        directory = try TemporaryDirectory(prefix: "loa-commune")
        let configuration = ControllerConfiguration(
            site: site, broker: .init(host: "127.0.0.1", port: broker.port), http: .init(host: "127.0.0.1", port: 0),
            dataDirectory: directory.path("controller").path, allowAnonymousBroker: true, quietHours: quietHours,
            keyRotationNoticeSeconds: keyRotationNoticeSeconds, store: store, relay: try relay?(directory))
        running = try await InProcessController(configuration: configuration, clock: clock)
    }

    /// A receiver of `hamlet` whose speaker is a WAV file; not started.
    /// - Parameters:
    ///   - clock: the receiver's own clock (a shifted one stands for a device whose clock is off).
    ///   - adjust: changes to its settings (another controller address, say).
    public func receiver(
        _ device: String, hamlet: String, lateGraceSeconds: Double = 5, scheduleFetchSeconds: Double? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }, adjust: (inout ReceiverConfiguration) -> Void = { _ in }
    ) throws -> TestReceiver {
        var configuration = try receiverConfiguration(device, hamlet: hamlet, lateGraceSeconds: lateGraceSeconds)
        configuration.scheduleFetchSeconds = scheduleFetchSeconds
        adjust(&configuration)
        return TestReceiver(receiver: try Receiver(configuration: configuration, clock: clock), speakerFile: speakerFile(of: device))
    }

    /// The settings of a receiver whose speaker is an ALSA file PCM writing `speakerFile(of:)`.
    public func receiverConfiguration(_ device: String, hamlet: String, lateGraceSeconds: Double = 5) throws -> ReceiverConfiguration {
        let output = ALSAFilePCM.output(writingTo: speakerFile(of: device), name: "loa_\(device.replacingOccurrences(of: "-", with: "_"))")
        let alsaConfig = directory.path("\(device).asoundrc")
        try output.configuration!.write(to: alsaConfig, atomically: true, encoding: .utf8)
        return ReceiverConfiguration(
            deviceID: device, site: site.id, hamlet: hamlet, broker: .init(host: "127.0.0.1", port: broker.port),
            controllerKey: controller.store.verifierKey.text, mediaBaseURL: "http://127.0.0.1:\(httpPort)",
            mediaToken: controller.mediaAccess.token(for: device), stateDirectory: directory.path("state-\(device)").path,
            audio: .init(device: output.device, alsaConfigFile: alsaConfig.path), lateGraceSeconds: lateGraceSeconds)
    }

    /// The WAV file a receiver's speaker writes.
    public func speakerFile(of device: String) -> URL { directory.path("\(device).wav") }

    /// Uploads audio and announces it to `hamlets` at `startAt`.
    public func announce(_ audio: Data, to hamlets: [String], at startAt: Date, title: String = "Thông báo thử") async throws -> Announcement {
        try await announce(media: try await controller.media.addAudio(audio), to: hamlets, at: startAt, title: title)
    }

    /// Announces audio already uploaded to `hamlets` at `startAt`.
    public func announce(media: MediaReference, to hamlets: [String], at startAt: Date, title: String = "Thông báo thử") async throws -> Announcement {
        try await controller.announcements.announce(AnnouncementRequest(
            title: title, category: .dialogue, media: media.sha256, hamlets: hamlets, startAt: startAt))
    }

    /// Waits until the store holds an event of `kind` for the item from each device, or the time is up.
    public func waitForEvents(item: String, kind: DeviceEvent.Kind, from devices: Set<String>, within timeout: Duration = .seconds(20)) async throws -> [DeviceEvent] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let events = try await controller.store.events(item: item).filter { $0.kind == kind }
            if Set(events.map(\.device)).isSuperset(of: devices) { return events }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await controller.store.events(item: item).filter { $0.kind == kind }
    }

    /// Stops the controller and the broker and removes every file.
    public func stop() async {
        await running.stop()
        broker.stop()
        directory.remove()
    }
}

/// A receiver running in this process, with the WAV file its speaker writes.
public final class TestReceiver: Sendable {
    public let receiver: Receiver
    public let speakerFile: URL
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(receiver: Receiver, speakerFile: URL) {
        self.receiver = receiver
        self.speakerFile = speakerFile
    }

    /// Runs the receiver in a task.
    public func start() {
        task.withLock { $0 = Task { [receiver] in try await receiver.run() } }
    }

    /// Cancels the receiver's task and waits for it to publish offline and disconnect.
    public func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
    }
}

/// The `loa` executable built beside the test bundle (`swift build --build-tests` builds it).
public func loaExecutable() -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loa").path
}

/// Loads a file of the repository's `Audio/` folder.
public func sampleAudio(_ name: String) throws -> Data {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try Data(contentsOf: root.appendingPathComponent("Audio").appendingPathComponent(name))
}
