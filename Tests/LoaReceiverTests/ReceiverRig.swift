import Foundation
import LoaAudio
import LoaDomain
import LoaHarness
import LoaMQTT
import LoaProtocol
import LoaReceiver
import Synchronization

/// One receiver on parts a test drives: a manual clock, an in-memory broker link, media
/// served from memory and a speaker timed by the clock; its state folder on disk, so
/// its memory, outbox and verifier are the real ones. The test plays the controller:
/// it signs documents with its own key and reads the events the receiver sends.
final class ReceiverRig: Sendable {
    let directory: TemporaryDirectory
    let clock: ManualClock
    let link = MemoryBrokerLink()
    let media = ServedMedia()
    /// The hamlet's document as the controller serves it over HTTP.
    let documents = ServedDocuments()
    let speaker: VirtualSpeaker
    let signer = MessageSigner(key: SigningKey(name: "test-controller"))
    let configuration: ReceiverConfiguration
    let topics: Topics
    /// The last receipt's version (each must be newer than the one before).
    private let receiptVersion = Atomic<Int>(0)

    /// 09:00 in Vietnam on 5 December 2026, outside any quiet hours.
    static let nineAM = Date(timeIntervalSince1970: 1_796_436_000)

    /// - Parameter board: a notice board for the receiver to serve, if any.
    init(at start: Date = ReceiverRig.nineAM, device: String = "loa-thu-1", directory: TemporaryDirectory? = nil, board: BoardSettings? = nil) throws {
        self.directory = try directory ?? TemporaryDirectory(prefix: "loa-receiver", removedAtExit: true)
        clock = ManualClock(start)
        speaker = VirtualSpeaker(clock: clock)
        configuration = ReceiverConfiguration(
            deviceID: device, site: "xa-thu-nghiem", hamlet: "thon-a", broker: .init(host: "127.0.0.1", port: 1),
            controllerKey: signer.key.verifier.text, mediaBaseURL: "http://127.0.0.1:1", mediaToken: "unused",
            stateDirectory: self.directory.path("state-\(device)").path, audio: .init(device: "virtual"), board: board)
        topics = Topics(site: configuration.site)
    }

    /// A receiver on this rig's parts (a second one after a restart finds the first's state);
    /// another link or clock stands for a process of its own.
    func receiver(link: MemoryBrokerLink? = nil, clock: ManualClock? = nil, speaker: VirtualSpeaker? = nil) throws -> Receiver {
        try Receiver(
            configuration: configuration,
            parts: ReceiverParts(
                link: link ?? self.link, downloader: media, speaker: speaker ?? self.speaker, clock: clock ?? self.clock,
                documents: documents))
    }

    /// Starts a receiver and waits until it follows its hamlet's document; cancel the task to stop it.
    func start(_ receiver: Receiver, link: MemoryBrokerLink? = nil) async throws -> Task<Void, any Error> {
        let running = Task { try await receiver.run() }
        let document = topics.zoneSchedule(configuration.hamlet)
        let link = link ?? self.link
        _ = try await eventually(within: .seconds(10)) { link.subscriptions.contains(document) }
        return running
    }

    /// A tone of `seconds` (WAV, mono, 16 kHz) served to the receiver, in an item at `startAt`,
    /// with the levelling gain the controller measures (none, as from an older controller,
    /// when not `levelled`), and with `chunkSize`, its chunk root (checked as it arrives).
    func item(
        _ id: String, at startAt: Date, seconds: Double = 3, priority: PriorityClass = .normal, frequency: Double = 440,
        levelled: Bool = true, chunkSize: Int? = nil
    ) -> (item: ScheduledItem, wav: Data) {
        let tone = Self.tone(seconds: seconds, frequency: frequency)
        let wav = WAVFile.bytes(of: tone)
        var media = media.serve(wav, durationMs: Int(seconds * 1000), chunkSize: chunkSize)
        if levelled { media.gainDb = LoudnessNormalisation.loudspeakers.levellingGain(for: tone) }
        let item = ScheduledItem(
            id: id, announcementId: "tb-\(id)", title: "Bản tin \(id)", category: .dialogue, priority: priority,
            startAt: startAt, media: media)
        return (item, wav)
    }

    /// Signs and delivers (retained) the hamlet's document.
    func publish(_ items: [ScheduledItem], version: Int, quietHours: [QuietHours]? = nil, signer: MessageSigner? = nil) throws {
        link.deliver(
            try sealed(items, version: version, quietHours: quietHours, signer: signer), on: topics.zoneSchedule(configuration.hamlet))
    }

    /// The hamlet's document, signed as the controller publishes it (by `signer`, else the controller's key).
    func sealed(_ items: [ScheduledItem], version: Int, quietHours: [QuietHours]? = nil, signer: MessageSigner? = nil) throws -> Data {
        let document = ZoneSchedule(
            site: configuration.site, zone: configuration.hamlet, version: version, issuedAt: clock.now, items: items,
            timeZone: "Asia/Ho_Chi_Minh", quietHours: quietHours)
        return try (signer ?? self.signer).seal(
            payload: WireCoding.encode(document), topic: topics.zoneSchedule(configuration.hamlet), version: version,
            issuedAt: clock.now, expiresAt: clock.now.addingTimeInterval(86_400))
    }

    /// Signs and delivers the controller's receipt of `events`.
    func receipt(_ events: [String]) throws {
        let version = receiptVersion.add(1, ordering: .relaxed).newValue
        let topic = topics.deviceReceipts(configuration.deviceID)
        let sealed = try signer.seal(
            payload: WireCoding.encode(EventReceipt(events: events)), topic: topic, version: version,
            issuedAt: clock.now, expiresAt: clock.now.addingTimeInterval(3600))
        link.deliver(sealed, on: topic, retain: false)
    }

    /// Receipts every event sent so far and waits until `receiver`'s outbox is empty.
    func receiptAll(by receiver: Receiver) async throws {
        let ids = Array(Set(try sentEvents().map(\.id)))
        try receipt(ids)
        _ = try await eventually(within: .seconds(5)) { try await receiver.pendingEventCount() == 0 }
    }

    /// Every event message the receiver published (on `link`, else the rig's), resends included, oldest first.
    func sentEvents(on link: MemoryBrokerLink? = nil) throws -> [DeviceEvent] {
        try (link ?? self.link).published(on: topics.deviceEvents(configuration.deviceID)).map {
            try WireCoding.decode(DeviceEvent.self, from: $0.payload)
        }
    }

    /// The events about `item`, each once, in the order first sent.
    func events(of item: String) throws -> [DeviceEvent] {
        var seen: Set<String> = []
        return try sentEvents().filter { $0.item == item && seen.insert($0.id).inserted }
    }

    /// The kinds of the events about `item`, in order.
    func kinds(of item: String) throws -> [DeviceEvent.Kind] { try events(of: item).map(\.kind) }

    /// The event of `kind` about `item`, if sent.
    func event(_ kind: DeviceEvent.Kind, of item: String) throws -> DeviceEvent? {
        try events(of: item).first { $0.kind == kind }
    }

    /// Waits (in real time, the clock standing still) until the receiver has sent `kind` for `item`.
    func waitFor(_ kind: DeviceEvent.Kind, of item: String) async throws -> DeviceEvent {
        _ = try await eventually(within: .seconds(10)) { try self.event(kind, of: item) != nil }
        guard let event = try event(kind, of: item) else { throw RigError.noEvent(kind, item) }
        return event
    }

    /// What the speaker lets out for `wav`: decoded, normalised and at `volume`, as the receiver prepares it.
    static func sounded(_ wav: Data, volume: Int = 10) throws -> [Int16] { try loudspeakerAudio(wav, volume: volume).samples }

    /// A sine at half scale.
    static func tone(seconds: Double, frequency: Double, sampleRate: Int = 16000) -> PCMAudio {
        halfScaleTone(seconds: seconds, frequency: frequency, sampleRate: sampleRate)
    }

    enum RigError: Error { case noEvent(DeviceEvent.Kind, String) }
}
