import ArgumentParser
import Foundation
import LoaDomain
import LoaMQTT
import LoaProtocol
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `loa-bench province-worker` (hidden): one process of `province`'s simulated fleet.
///
/// It holds receivers `first ..< first + count` of the plan (`ProvincePlan`), each an
/// `MQTTClient` on its commune's broker, all on one `MQTTNetworkLoop`. A receiver that
/// gets its hamlet's document with the province's emergency in it verifies it under its
/// commune's key, fetches the item's audio from its controller over HTTP with its media
/// token, checks the SHA-256, and reports `ready` and `started` (proof of play) as a
/// real receiver does: every 10 s it sends again what no verified receipt named. In the raw phase it fetches the same audio and sends two events
/// of the same size, unsigned and unchecked. Report lines go to stdout (`FleetReportLine`).
struct ProvinceWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "province-worker", abstract: "One process of the province fleet (started by province).",
        shouldDisplay: false)

    @Option var plan: String
    @Option var first: Int
    @Option var count: Int
    @Option var connectTimeout = 120
    @Option(help: "Media fetches in flight at once in this process") var fetches = 64

    func run() async throws {
        try await FleetReportWriter.serving { try await serve(report: $0) }
    }

    private func serve(report: FleetReportWriter) async throws {
        FileLimit.raiseToHard()
        let plan = try ProvincePlan.read(from: plan)
        let loop = MQTTNetworkLoop(name: FleetWorker.loopName)
        let start = ContinuousClock.now
        let indices = Array(first..<(first + count))
        let clients = try await FleetWorker.makeClients(
            indices.map { (clientID: ProvincePlan.deviceID($0), port: plan.receiver($0).commune.brokerPort) }, loop: loop)
        let created = ContinuousClock.now
        let fetcher = MediaFetcher(inFlight: fetches)
        for (index, client) in zip(indices, clients) {
            try SimulatedProvinceReceiver(index: index, plan: plan, client: client, fetcher: fetcher, report: report).start()
        }
        try await FleetWorker.waitUntilConnected(clients, timeout: connectTimeout, naming: "receivers \(first)…\(first + count - 1)")
        let connected = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for (index, client) in zip(indices, clients) {
                let receiver = plan.receiver(index)
                group.addTask {
                    let topics = Topics(site: receiver.commune.site)
                    try? await client.subscribe(topics.zoneSchedule(receiver.hamlet), qos: .atLeastOnce)
                    try? await client.subscribe(topics.deviceReceipts(receiver.device), qos: .atLeastOnce)
                    try? await client.subscribe(
                        ProvincePlan.rawTopic(site: receiver.commune.site, hamlet: receiver.hamlet), qos: .atLeastOnce)
                }
            }
        }
        await FleetWorker.readyThenAnswer(
            times: (start, created, connected, ContinuousClock.now), clients: clients, loop: loop, report: report)
    }
}

/// One simulated receiver of `province`.
struct SimulatedProvinceReceiver: Sendable {
    let index: Int
    let site: String
    let hamlet: String
    let device: String
    let key: VerifierKey
    let itemPrefix: String
    let media: DeviceMedia
    let client: MQTTClient
    let fetcher: MediaFetcher
    let report: FleetReportWriter
    /// Events sent that no receipt named yet, by id.
    let unreceipted = Unreceipted()
    /// How long an event waits for its receipt before it is sent again (`EventSender`'s default).
    static let resendAfter: Duration = .seconds(10)

    init(index: Int, plan: ProvincePlan, client: MQTTClient, fetcher: MediaFetcher, report: FleetReportWriter) throws {
        let receiver = plan.receiver(index)
        guard let secret = Data(base64Encoded: receiver.commune.mediaSecret) else {
            throw ValidationError("the plan's media secret of \(receiver.commune.site) is not base64")
        }
        (self.index, site, hamlet, device) = (index, receiver.commune.site, receiver.hamlet, receiver.device)
        key = try VerifierKey(text: receiver.commune.verifierKey)
        itemPrefix = plan.itemPrefix
        media = DeviceMedia(
            baseURL: receiver.mediaBaseURL, authorization: "Bearer \(receiver.device):\(MediaToken.make(secret: secret, device: receiver.device))")
        (self.client, self.fetcher, self.report) = (client, fetcher, report)
    }

    func start() {
        Task { await run() }
    }

    private func run() async {
        let topics = Topics(site: site)
        let rawTopic = ProvincePlan.rawTopic(site: site, hamlet: hamlet)
        let receiptTopic = topics.deviceReceipts(device)
        var verifier = DownwardMessageVerifier(trusting: [key])
        var answered: Set<String> = []
        var emergency: ScheduledItem?
        for await message in client.messages {
            if message.topic == rawTopic {
                // Raw: the same fetch and two events of the same size, nothing verified.
                guard let emergency, await fetch(emergency) else { continue }
                for kind in [DeviceEvent.Kind.ready, .started] {
                    await publish(event(kind, item: emergency), to: ProvincePlan.rawEventsTopic(site: site))
                }
                continue
            }
            if message.topic == receiptTopic {
                if case .success(let opened) = verifier.open(message.payload, topic: receiptTopic, now: Date()),
                    let receipt = try? WireCoding.decode(EventReceipt.self, from: opened.payload)
                {
                    unreceipted.events.withLock { for id in receipt.events { $0[id] = nil } }
                }
                continue
            }
            let opened: DownwardMessageVerifier.Opened
            switch verifier.open(message.payload, topic: message.topic, now: Date()) {
            case .success(let message): opened = message
            case .failure(let refusal):
                // Both controllers of a commune may publish the same document: acted on once already.
                if refusal.reason != .duplicate { report.send(.refused(index: index)) }
                continue
            }
            guard let schedule = try? WireCoding.decode(ZoneSchedule.self, from: opened.payload),
                  schedule.site == site, schedule.zone == hamlet
            else {
                report.send(.refused(index: index))
                continue
            }
            guard let item = schedule.items.first(where: { $0.id.hasPrefix(itemPrefix) }), !answered.contains(item.id) else { continue }
            answered.insert(item.id)
            emergency = item
            report.send(.verified(index: index, at: MonotonicTime.now()))
            guard await fetch(item) else { continue }
            for kind in [DeviceEvent.Kind.ready, .started] {
                let event = event(kind, item: item)
                guard let payload = try? WireCoding.encode(event) else { continue }
                unreceipted.events.withLock { $0[event.id] = payload }
                try? await client.publish(topic: topics.deviceEvents(device), payload: payload, qos: .atLeastOnce)
            }
            Task { await resendUntilReceipted(to: topics.deviceEvents(device)) }
        }
    }

    /// Sends again, every ``resendAfter``, the events no receipt named, until none is left.
    private func resendUntilReceipted(to topic: String) async {
        while true {
            try? await Task.sleep(for: Self.resendAfter)
            let due = unreceipted.events.withLock { Array($0.values) }
            if due.isEmpty { return }
            for payload in due { try? await client.publish(topic: topic, payload: payload, qos: .atLeastOnce) }
        }
    }

    /// Fetches and checks the item's audio; reports `fetched`, or `refused` when it failed.
    private func fetch(_ item: ScheduledItem) async -> Bool {
        do {
            try await fetcher.fetch(item.media, from: media)
            report.send(.fetched(index: index, at: MonotonicTime.now()))
            return true
        } catch {
            FileHandle.standardError.write(Data("\(device): \(error)\n".utf8))
            report.send(.refused(index: index))
            return false
        }
    }

    private func event(_ kind: DeviceEvent.Kind, item: ScheduledItem) -> DeviceEvent {
        let now = Date()
        return DeviceEvent(
            id: UUID().uuidString.lowercased(), device: device, site: site, zone: hamlet, item: item.id, kind: kind, at: now,
            measuredStartAt: kind == .started ? now : nil, startOffsetMs: kind == .started ? 0 : nil)
    }

    private func publish(_ event: DeviceEvent, to topic: String) async {
        guard let payload = try? WireCoding.encode(event) else { return }
        try? await client.publish(topic: topic, payload: payload, qos: .atLeastOnce)
    }
}

/// The events a simulated receiver sent that no receipt named yet, by id.
final class Unreceipted: Sendable {
    let events = Mutex<[String: Data]>([:])
}

/// Where a device fetches media, and how it proves who it is.
struct DeviceMedia: Sendable {
    let baseURL: String
    let authorization: String
}

/// Media fetches of one worker process, at most `inFlight` at once (the simulated
/// receivers share one machine; real ones each have their own link).
final class MediaFetcher: Sendable {
    private let session: URLSession
    private let slots: AsyncSlots

    init(inFlight: Int) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 4
        configuration.timeoutIntervalForRequest = 120
        session = URLSession(configuration: configuration)
        slots = AsyncSlots(inFlight)
    }

    struct FetchError: Error, CustomStringConvertible {
        let description: String
    }

    /// Fetches `media` and checks its length and SHA-256.
    func fetch(_ media: MediaReference, from device: DeviceMedia) async throws {
        await slots.take()
        defer { Task { await slots.give() } }
        guard let url = URL(string: "\(device.baseURL)/media/\(media.sha256)") else { throw FetchError(description: "bad URL") }
        var request = URLRequest(url: url)
        request.setValue(device.authorization, forHTTPHeaderField: "Authorization")
        let (body, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw FetchError(description: "GET \(url.path): HTTP \(status)") }
        guard body.count == media.bytes, MediaDigest.sha256(body) == media.sha256 else {
            throw FetchError(description: "GET \(url.path): \(body.count) bytes that do not hash to the item's SHA-256")
        }
    }
}

/// A counting semaphore for tasks.
actor AsyncSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
