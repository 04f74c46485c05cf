import Foundation
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReceiver
import Testing

/// A broker loss costs a poll, not a missed airing: while the broker is away the
/// receiver fetches its hamlet's signed document over HTTP and checks it as it checks
/// what the broker delivers.
@Suite("The hamlet's document over HTTP while the broker is away (test clock)")
struct DocumentFetchTests {
    @Test("with the broker away, a new document is fetched within 30 s and its item sounds at its instant; the broker's copy later changes nothing")
    func fetchedWhileBrokerAway() async throws {
        let rig = try ReceiverRig()
        let receiver = try rig.receiver()
        let running = try await rig.start(receiver)
        defer { running.cancel() }
        try rig.publish([], version: 1)
        await rig.clock.run(for: 31)
        #expect(rig.documents.fetches == 0, "with the broker there, nothing is fetched")

        rig.link.disconnect()
        let startAt = rig.clock.now.addingTimeInterval(120)
        let (item, wav) = rig.item("qua-http", at: startAt, seconds: 2)
        let sealed = try rig.sealed([item], version: 2)
        rig.documents.serve(sealed, hamlet: "thon-a")
        await rig.clock.run(for: 31)
        #expect(rig.documents.fetches >= 1)
        #expect(try await eventually(within: .seconds(10)) { (await receiver.scheduleVersion) == 2 })

        await rig.clock.run(until: startAt.addingTimeInterval(3))
        rig.link.reconnect()
        rig.link.deliver(sealed, on: rig.topics.zoneSchedule("thon-a"))
        _ = try await rig.waitFor(.finished, of: "qua-http")
        await rig.clock.run(for: 5)
        #expect(rig.speaker.playbacks.count == 1)
        #expect(rig.speaker.playbacks.first?.start == startAt)
        #expect(rig.speaker.playbacks.first?.samples == (try ReceiverRig.sounded(wav)))
        #expect(try rig.kinds(of: "qua-http") == [.received, .ready, .started, .finished])
    }

    @Test("a document over HTTP is checked as one over MQTT: a forged one and an older one are refused and nothing sounds")
    func checkedLikeMQTT() async throws {
        let rig = try ReceiverRig()
        let receiver = try rig.receiver()
        let running = try await rig.start(receiver)
        defer { running.cancel() }
        try rig.publish([], version: 5)
        rig.link.disconnect()

        let (forgedItem, _) = rig.item("gia-mao", at: rig.clock.now.addingTimeInterval(120))
        let forger = MessageSigner(key: SigningKey(name: "test-controller"))
        rig.documents.serve(try rig.sealed([forgedItem], version: 6, signer: forger), hamlet: "thon-a")
        await rig.clock.run(for: 31)
        #expect(rig.documents.fetches >= 1)

        let (oldItem, _) = rig.item("cu", at: rig.clock.now.addingTimeInterval(120))
        rig.documents.serve(try rig.sealed([oldItem], version: 4), hamlet: "thon-a")
        await rig.clock.run(for: 31)
        #expect(rig.documents.fetches >= 2)

        await rig.clock.run(for: 150)
        #expect(await receiver.scheduleVersion == 5)
        #expect(rig.speaker.playbacks.isEmpty)
        #expect(try rig.events(of: "gia-mao").isEmpty && rig.events(of: "cu").isEmpty)
        let refused = await receiver.refusedMessages
        #expect(refused.values.reduce(0, +) >= 2, "\(refused)")
    }
}
