import Foundation
import LoaMQTT
import LoaProvisioning
import LoaHarness
import Testing

@Suite("A real Mosquitto with the generated password and ACL files", .serialized)
struct BrokerAccessTests {
    let root = "loa/v1/\(ProvisionedBroker.site)"

    @Test("a provisioned device connects; a wrong password, an unknown user and an anonymous client are refused")
    func authentication() async throws {
        let setup = try ProvisionedBroker()
        defer { setup.stop() }
        #expect(try await setup.attempt(setup.east1) == nil)
        #expect(try await setup.attempt(setup.controller) == nil)
        let wrong = BrokerCredentials(username: setup.east1.username, password: setup.east2.password)
        for (name, credentials) in [("wrong password", wrong), ("unknown user", BrokerCredentials(username: "admin", password: "admin")),
                                    ("empty password", BrokerCredentials(username: setup.east1.username, password: ""))] {
            let error = try await setup.attempt(credentials)
            guard case .refused = error else { Issue.record("\(name): expected refused, got \(String(describing: error))"); continue }
        }
        guard case .refused = try await setup.attempt(nil) else { Issue.record("an anonymous client was not refused"); return }
    }

    @Test("a device reads only its hamlet's and its own downward topics, whatever it subscribes to")
    func readIsolation() async throws {
        let setup = try ProvisionedBroker()
        defer { setup.stop() }
        let controller = try await setup.connected(setup.controller)
        let device = try await setup.connected(setup.east1)
        let inbox = Inbox(device)
        let east1 = setup.east1.username, east2 = setup.east2.username
        // Its own topics, another device's, another hamlet's, and wildcards over everything.
        var refused: [String] = []
        for filter in [
            "\(root)/zone/thon-dong/schedule", "\(root)/device/\(east1)/receipts",
            "\(root)/zone/thon-tay/schedule", "\(root)/zone/thon-tay/command",
            "\(root)/device/\(east2)/receipts", "\(root)/device/\(east2)/config", "\(root)/device/+/events",
            "loa/#", "#",
        ] {
            do { try await device.subscribe(filter) } catch MQTTError.subscriptionRefused { refused.append(filter) }
        }
        // mosquitto 2.0 grants these SUBACKs and filters on delivery instead.
        #expect(refused.isEmpty, "SUBACK refused: \(refused)")
        let forbidden = [
            "\(root)/zone/thon-tay/schedule", "\(root)/zone/thon-tay/command",
            "\(root)/device/\(east2)/receipts", "\(root)/device/\(east2)/config",
        ]
        for topic in forbidden {
            try await controller.publish(topic: topic, payload: Data("không phải của bạn".utf8))
        }
        let other = try await setup.connected(setup.east2)
        try await other.publish(topic: "\(root)/device/\(east2)/events", payload: Data("{}".utf8))
        let allowed = ["\(root)/zone/thon-dong/schedule", "\(root)/device/\(east1)/receipts"]
        for topic in allowed {
            try await controller.publish(topic: topic, payload: Data("của bạn".utf8))
        }
        await inbox.wait { Set($0.map(\.topic)).isSuperset(of: allowed) }
        #expect(Set(inbox.topics) == Set(allowed), "received \(inbox.topics)")
        #expect(inbox.messages.count == allowed.count)
        await other.close()
        await device.close()
        await controller.close()
    }

    @Test("a device cannot publish as another device, nor forge a schedule or command for any hamlet")
    func writeIsolation() async throws {
        let setup = try ProvisionedBroker()
        defer { setup.stop() }
        let controller = try await setup.connected(setup.controller)
        let controllerInbox = Inbox(controller)
        try await controller.subscribe("\(root)/device/+/events")
        try await controller.subscribe("\(root)/device/+/state")
        let victim = try await setup.connected(setup.east2)
        let victimInbox = Inbox(victim)
        try await victim.subscribe("\(root)/zone/thon-dong/schedule")
        try await victim.subscribe("\(root)/zone/thon-dong/command")

        let attacker = try await setup.connected(setup.east1)
        let east2 = setup.east2.username
        for topic in [
            "\(root)/device/\(east2)/events", "\(root)/device/\(east2)/state",
            "\(root)/zone/thon-dong/schedule", "\(root)/zone/thon-dong/command",
            "\(root)/device/\(setup.west1.username)/events",
        ] {
            try await attacker.publish(topic: topic, payload: Data(#"{"kind":"started","device":"giả"}"#.utf8))
        }
        let ownEvents = "\(root)/device/\(setup.east1.username)/events"
        try await attacker.publish(topic: ownEvents, payload: Data(#"{"kind":"started"}"#.utf8))
        try await controller.publish(topic: "\(root)/zone/thon-dong/schedule", payload: Data("thật".utf8))
        await controllerInbox.wait { $0.contains { $0.topic == ownEvents } }
        await victimInbox.wait { !$0.isEmpty }
        #expect(controllerInbox.topics == [ownEvents])
        #expect(victimInbox.messages.map { String(decoding: $0.payload, as: UTF8.self) } == ["thật"])
        await attacker.close()
        await victim.close()
        await controller.close()
    }

    @Test("with use_username_as_clientid a device cannot take over another device's session by its client id")
    func clientIDTakeover() async throws {
        let setup = try ProvisionedBroker()
        defer { setup.stop() }
        let victim = try await setup.connected(setup.east2)
        let attacker = try await setup.connected(setup.east1, clientID: setup.east2.username)
        try await Task.sleep(for: .seconds(1))
        #expect(victim.state == .connected)
        await attacker.close()
        await victim.close()
    }

    @Test("without use_username_as_clientid the same trick kicks the other device off (why the setting is in deploy/)")
    func clientIDTakeoverWithoutSetting() async throws {
        let setup = try ProvisionedBroker(extraConfiguration: "")
        defer { setup.stop() }
        let victim = try await setup.connected(setup.east2)
        let attacker = try await setup.connected(setup.east1, clientID: setup.east2.username)
        var kicked = false
        for _ in 0..<50 where !kicked {
            if case .disconnected = victim.state { kicked = true }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(kicked, "the victim stayed connected: \(victim.state)")
        await attacker.close()
        await victim.close()
    }

    @Test("after revoke and SIGHUP a revoked device's next connection is refused; others are unaffected")
    func revocation() async throws {
        let setup = try ProvisionedBroker()
        defer { setup.stop() }
        let controller = try await setup.connected(setup.controller)
        let revoked = try await setup.connected(setup.east2)
        let revokedInbox = Inbox(revoked)
        try await revoked.subscribe("\(root)/zone/thon-dong/schedule")
        let kept = try await setup.connected(setup.east1)
        let keptInbox = Inbox(kept)
        try await kept.subscribe("\(root)/zone/thon-dong/schedule")

        try setup.revokeAndReload(setup.east2.username)
        // The existing connection: mosquitto 2.0 re-checks connected clients on reload and
        // disconnects this one ("Client … disconnected." after "Reloading config."); its
        // automatic reconnect is then refused.
        var cutAndRefused = false
        for _ in 0..<150 where !cutAndRefused {
            if case .refused = revoked.state { cutAndRefused = true } else { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(cutAndRefused, "the revoked device is \(revoked.state); log:\n\(setup.broker.log().suffix(1500))")
        // A fresh connection with the revoked password is refused.
        var refusedAfterReload = false
        for _ in 0..<25 where !refusedAfterReload {
            if case .refused = try await setup.attempt(setup.east2) {
                refusedAfterReload = true
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(refusedAfterReload)
        // Another device is unaffected (a probe as east1 would take over `kept`: same username, same client id).
        #expect(try await setup.attempt(setup.west1) == nil)

        try await controller.publish(topic: "\(root)/zone/thon-dong/schedule", payload: Data("sau khi thu hồi".utf8))
        await keptInbox.wait { !$0.isEmpty }
        #expect(keptInbox.messages.map { String(decoding: $0.payload, as: UTF8.self) } == ["sau khi thu hồi"])
        #expect(revokedInbox.messages.isEmpty, "the revoked device still received \(revokedInbox.topics)")
        await revoked.close()
        await kept.close()
        await controller.close()
    }
}
