import Foundation
import LoaController
import LoaDomain
import LoaProtocol
import LoaReceiver
import LoaStore
import LoaHarness
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Proof of play survives crashes: events go to a durable outbox first and are
/// resent until the controller's receipt.
@Suite("Proof of play is never lost", .serialized)
struct ProofOfPlayTests {
    @Test("a receiver killed (SIGKILL) after playing offline and before sending: after restart each event lands exactly once")
    func killedReceiverResendsOnce() async throws {
        let commune = try await Commune()
        let configuration = try commune.receiverConfiguration("loa-kill", hamlet: "thon-a")
        let configFile = commune.directory.path("loa-kill.json")
        try WireCoding.encode(configuration).write(to: configFile)
        let log = commune.directory.path("loa-kill.log").path
        var receiver = try ChildProcess.spawn(loaExecutable(), ["receiver", "--config", configFile.path], log: log)

        let announcement = try await commune.announce(
            try sampleAudio("chime.wav"), to: ["thon-a"], at: Date().addingTimeInterval(3))
        let item = "\(announcement.id)@thon-a"
        let ready = try await commune.waitForEvents(item: item, kind: .ready, from: ["loa-kill"], within: .seconds(10))
        #expect(ready.count == 1, "the receiver never got ready; its log: \(log)")

        // The broker goes away; the receiver plays from its schedule and keeps the events.
        commune.broker.stop()
        try await Task.sleep(for: .seconds(4.5))
        ChildProcess.stop(receiver, signal: SIGKILL)
        #expect(FileManager.default.fileExists(atPath: configuration.stateDirectory + "/outbox.sqlite"))
        #expect(try await commune.controller.store.events(item: item).allSatisfy { $0.kind != .started })

        try commune.broker.restart()
        receiver = try ChildProcess.spawn(loaExecutable(), ["receiver", "--config", configFile.path], log: log)
        defer { ChildProcess.stop(receiver) }
        let finished = try await commune.waitForEvents(item: item, kind: .finished, from: ["loa-kill"], within: .seconds(30))
        #expect(finished.count == 1)
        try await Task.sleep(for: .seconds(2))  // room for any duplicate to arrive
        let kinds = try await commune.controller.store.events(item: item).map(\.kind)
        #expect(kinds.filter { $0 == .started }.count == 1, "events: \(kinds)")
        #expect(kinds.filter { $0 == .finished }.count == 1, "events: \(kinds)")
        #expect(kinds.filter { $0 == .received }.count == 1, "events: \(kinds)")
        let started = try #require(try await commune.controller.store.events(item: item).first { $0.kind == .started })
        #expect(abs(try #require(started.startOffsetMs)) < 50, "it played at its instant while offline")
        ChildProcess.stop(receiver)
        await commune.stop()
    }

    @Test("a receiver killed (SIGKILL) 0.15 s into an item, then restarted: started, then interrupted with how much played; never 'missed'; each event once")
    func killedWhilePlaying() async throws {
        let commune = try await Commune()
        // A speaker paced like a sound card (the plain file PCM plays 1.5 s in a few ms).
        let speaker = try await PacedSpeaker(device: "loa-cut")
        defer { speaker.stop() }
        var configuration = try commune.receiverConfiguration("loa-cut", hamlet: "thon-a")
        configuration.audio = speaker.audio
        let configFile = commune.directory.path("loa-cut.json")
        try WireCoding.encode(configuration).write(to: configFile)
        let log = commune.directory.path("loa-cut.log").path
        var receiver = try ChildProcess.spawn(loaExecutable(), ["receiver", "--config", configFile.path], log: log)

        let startAt = Date().addingTimeInterval(3)
        let announcement = try await commune.announce(try sampleAudio("chime.wav"), to: ["thon-a"], at: startAt)
        let item = "\(announcement.id)@thon-a"
        let ready = try await commune.waitForEvents(item: item, kind: .ready, from: ["loa-cut"], within: .seconds(10))
        #expect(ready.count == 1, "the receiver never got ready; its log: \(log)")
        try await Task.sleep(for: .seconds(startAt.addingTimeInterval(0.15).timeIntervalSinceNow))
        ChildProcess.stop(receiver, signal: SIGKILL)

        receiver = try ChildProcess.spawn(loaExecutable(), ["receiver", "--config", configFile.path], log: log)
        defer { ChildProcess.stop(receiver) }
        let failed = try await commune.waitForEvents(item: item, kind: .failed, from: ["loa-cut"], within: .seconds(20))
        #expect(failed.first?.reason?.contains("interrupted: the receiver stopped while playing") == true, "\(failed)")
        #expect(try #require(failed.first?.playedMs) >= 0)
        try await Task.sleep(for: .seconds(2))  // room for any duplicate or wrong record to arrive
        let kinds = try await commune.controller.store.events(item: item).map(\.kind)
        #expect(kinds.sorted { $0.rawValue < $1.rawValue } == [.failed, .ready, .received, .started], "events: \(kinds)")
        let started = try #require(try await commune.controller.store.events(item: item).first { $0.kind == .started })
        #expect(abs(try #require(started.startOffsetMs)) < 50, "it started at its instant")
        ChildProcess.stop(receiver)
        await commune.stop()
    }
}
