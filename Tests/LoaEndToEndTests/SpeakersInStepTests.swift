import Foundation
import LoaController
import LoaDomain
import LoaReceiver
import LoaStore
import LoaHarness
import LoaProtocol
import Testing

/// Speakers of several hamlets heard together, whose devices' clocks are off by hundreds
/// of milliseconds and reach the controller over a 4G-like link (100 ± 50 ms each way):
/// each receiver measures its clock against the controller's, corrects it, and sounds
/// within a few milliseconds of the others; a receiver that does not measure sounds as far
/// off as its clock, and the console says so.
@Suite("Speakers in step across devices whose clocks are off", .serialized)
struct SpeakersInStepTests {
    /// Each device's own clock minus the true time, in milliseconds.
    static let skews: [(device: String, hamlet: String, skewMs: Double, measures: Bool)] = [
        ("loa-dong-1", "thon-a", -350, true), ("loa-dong-2", "thon-a", 0, true), ("loa-doai-1", "thon-b", 420, true),
        ("loa-doai-2", "thon-b", 300, false),
    ]

    @Test("measured starts within 20 ms of each other with corrected clocks; an uncorrected one 300 ms off, flagged on the dashboard")
    func speakersInStep() async throws {
        let commune = try await Commune()
        defer { Task { await commune.stop() } }
        let link = try DelayingProxy(forwardingTo: commune.httpPort, oneWayDelayMs: 50...150)
        defer { link.stop() }
        var receivers: [TestReceiver] = []
        for device in Self.skews {
            let skew = device.skewMs / 1000
            let receiver = try commune.receiver(device.device, hamlet: device.hamlet, clock: { Date().addingTimeInterval(skew) }) {
                $0.mediaBaseURL = "http://127.0.0.1:\(link.port)"
                if !device.measures { $0.clockSyncSeconds = 0 }
            }
            receiver.start()
            receivers.append(receiver)
        }
        let running = receivers
        defer { Task { for receiver in running { await receiver.stop() } } }

        // Every device's state, the measuring ones with their estimate.
        _ = try await eventually(within: .seconds(20)) {
            let states = try await commune.controller.store.devices()
            return states.count == Self.skews.count && states.filter { $0.clockUncertaintyMs != nil }.count == 3
        }
        let states = try await commune.controller.store.devices()
        for device in Self.skews {
            let state = try #require(states.first { $0.device == device.device })
            let offset = try #require(state.clockOffsetMs)
            if device.measures {
                let bound = try #require(state.clockUncertaintyMs)
                #expect(abs(offset - device.skewMs) <= 10, "\(device.device): estimated \(offset) ± \(bound) ms, true \(device.skewMs) ms")
                #expect(bound < 15, "\(device.device): the fastest exchanges' offsets agree")
            } else {
                // The controller's rough figure: the live state's time against its arrival over loopback
                // MQTT, so short of the truth by the delivery's delay (143 ms once on a loaded CI machine),
                // never beyond it; still far outside the site's 50 ms tolerance.
                #expect(offset <= device.skewMs + 5 && offset > device.skewMs - 200,
                        "\(device.device): rough offset \(offset) ms, true \(device.skewMs) ms")
            }
        }

        let chime = try sampleAudio("chime.wav")
        let startAt = Date().addingTimeInterval(3)
        let item = try await commune.announce(chime, to: ["thon-a", "thon-b"], at: startAt)
        var started: [DeviceEvent] = []
        for hamlet in ["thon-a", "thon-b"] {
            started += try await commune.waitForEvents(
                item: "\(item.id)@\(hamlet)", kind: .started,
                from: Set(Self.skews.filter { $0.hamlet == hamlet }.map(\.device)), within: .seconds(15))
        }
        var trueStarts: [String: Date] = [:]
        for device in Self.skews {
            let all = try await commune.controller.store.events(device: device.device)
            let event = try #require(
                started.first { $0.device == device.device },
                "\(device.device) reported no start: \(all.map { "\($0.kind) \($0.reason ?? "")" })")
            let measured = try #require(event.measuredStartAt)
            // The device's own reading of its start, then the true time it sounded.
            let local = measured.addingTimeInterval((event.clockOffsetMs ?? 0) / 1000)
            trueStarts[device.device] = local.addingTimeInterval(-device.skewMs / 1000)
            #expect((event.clockUncertaintyMs != nil) == device.measures)
        }
        let corrected = Self.skews.filter(\.measures).compactMap { trueStarts[$0.device] }
        let spreadMs = (corrected.max()!.timeIntervalSince(corrected.min()!)) * 1000
        print("speakers in step: corrected receivers sounded \(spreadMs) ms apart; from the instant:", corrected.map { $0.timeIntervalSince(startAt) * 1000 })
        #expect(spreadMs <= 20, "corrected receivers sounded \(spreadMs) ms apart")
        for start in corrected {
            #expect(abs(start.timeIntervalSince(startAt)) < 0.025, "a corrected receiver sounded \(start.timeIntervalSince(startAt) * 1000) ms from the instant")
        }
        let uncorrected = try #require(trueStarts["loa-doai-2"])
        #expect(abs(uncorrected.timeIntervalSince(startAt) * 1000 + 300) < 40, "its clock 300 ms ahead, it sounds 300 ms early")

        // The dashboard: the uncorrected one is out of step, the others show their correction.
        _ = try await commune.controller.store.addUser(
            name: "ky-thuat", displayName: "Kỹ thuật viên", roles: [.operator], password: ConsoleRoutesTests.password, at: Date())
        let cookie = try await ConsoleRoutesTests.logIn(commune, "ky-thuat")
        let dashboard = try await ConsoleRoutesTests.get(commune, "/console/dashboard", cookie: cookie)
        #expect(dashboard.html.contains("Cụm loa có đồng hồ lệch"), "the dashboard warns of out-of-step clocks")
        let alert = try #require(dashboard.html.components(separatedBy: "Cụm loa có đồng hồ lệch").dropFirst().first?.prefix(while: { $0 != "<" }))
        #expect(alert.contains("loa-doai-2") && !alert.contains("loa-dong-1") && !alert.contains("loa-doai-1"), "\(alert)")
        #expect(dashboard.html.contains("đã bù, sai số ±"), "corrected clocks show their bound")
    }
}
