import Foundation
import LoaMQTT
import LoaProvisioning
import LoaHarness
import Testing

@Suite("TLS listener with the certificates of deploy/mosquitto/make-certificates.sh")
struct BrokerTLSTests {
    @Test("a device that pins the generated CA connects over TLS; one pinning another CA does not")
    func tls() async throws {
        let certificates = try TemporaryDirectory(prefix: "loa-certs")
        let otherCA = try TemporaryDirectory(prefix: "loa-certs-other")
        defer { certificates.remove(); otherCA.remove() }
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/mosquitto/make-certificates.sh")
        for directory in [certificates, otherCA] {
            try #require(try await ChildProcess.run("/bin/bash", [script.path, "localhost", directory.url.path]) == 0)
        }
        let tlsPort = try MosquittoBroker.freePort()
        let setup = try ProvisionedBroker(extraConfiguration: """
            use_username_as_clientid true
            listener \(tlsPort) 127.0.0.1
            use_username_as_clientid true
            cafile \(certificates.path("ca.crt").path)
            certfile \(certificates.path("broker.crt").path)
            keyfile \(certificates.path("broker.key").path)
            tls_version tlsv1.2
            """)
        defer { setup.stop() }
        func client(pinning ca: TemporaryDirectory) throws -> MQTTClient {
            try MQTTClient(options: .init(
                host: "localhost", port: tlsPort, clientID: setup.east1.username,
                credentials: .init(username: setup.east1.username, password: setup.east1.password),
                tls: .init(caFile: ca.path("ca.crt").path), reconnectBackoff: (.milliseconds(100), .milliseconds(300))))
        }
        let good = try client(pinning: certificates)
        try await good.waitUntilConnected(timeout: .seconds(5))
        await good.close()
        let wrong = try client(pinning: otherCA)
        await #expect(throws: MQTTError.self) { try await wrong.waitUntilConnected(timeout: .seconds(2)) }
        await wrong.close()
    }
}
