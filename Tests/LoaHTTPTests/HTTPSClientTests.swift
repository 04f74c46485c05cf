import Foundation
import LoaHTTP
import LoaHarness
import Testing

/// `openssl s_server -WWW` serving a folder over TLS with a certificate for `localhost`
/// signed by a CA that deploy/mosquitto/make-certificates.sh made.
private struct TLSFileServer {
    let folder: TemporaryDirectory
    let otherCA: TemporaryDirectory
    let port: Int
    let pid: Int32

    static func start() async throws -> TLSFileServer {
        let folder = try TemporaryDirectory(prefix: "loa-https")
        let otherCA = try TemporaryDirectory(prefix: "loa-https-other")
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/mosquitto/make-certificates.sh").path
        for directory in [folder, otherCA] {
            try #require(try await ChildProcess.run("/bin/bash", ["-c", "'\(script)' localhost '\(directory.url.path)' >/dev/null 2>&1"]) == 0)
        }
        let port = try #require(LoopbackPort.free())
        let pid = try ChildProcess.spawn("/bin/bash", [
            "-c", "cd '\(folder.url.path)' && exec openssl s_server -quiet -WWW -accept 127.0.0.1:\(port) -cert broker.crt -key broker.key",
        ])
        return TLSFileServer(folder: folder, otherCA: otherCA, port: port, pid: pid)
    }

    func stop() {
        ChildProcess.stop(pid)
        folder.remove()
        otherCA.remove()
    }
}

@Suite("The receiver's HTTP client over TLS (OpenSSL's own server)")
struct HTTPSClientTests {
    @Test("a server whose certificate the pinned CA signed for the host asked is read; any other is refused")
    func verifiedOrRefused() async throws {
        let server = try await TLSFileServer.start()
        defer { server.stop() }
        let document = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try document.write(to: server.folder.path("lich.bin"))
        try #require(try await eventually(within: .seconds(30)) { LoopbackPort.accepts(server.port) })

        let pinned = HTTPClient(caFile: server.folder.path("ca.crt").path)
        let answer = try await pinned.get("https://localhost:\(server.port)/lich.bin", bodyLimit: 1 << 20)
        #expect(answer.status == 200 && Data(answer.body) == document)

        // Another CA, the system's CAs, and the right CA for a name the certificate does not carry.
        let refusals: [(HTTPClient, String)] = [
            (HTTPClient(caFile: server.otherCA.path("ca.crt").path), "localhost"),
            (HTTPClient(), "localhost"),
            (pinned, "127.0.0.1"),
        ]
        for (client, host) in refusals {
            let error = await #expect(throws: HTTPClientError.self) {
                _ = try await client.get("https://\(host):\(server.port)/lich.bin", bodyLimit: 1 << 20)
            }
            guard case .tls(_, let reason) = error else {
                Issue.record("\(host) with CA \(client.caFile ?? "of the system"): \(String(describing: error))")
                continue
            }
            #expect(reason.contains("certificate"), "\(reason)")
        }

        let unreadable = await #expect(throws: HTTPClientError.self) {
            _ = try await HTTPClient(caFile: server.folder.path("no-such-ca.crt").path).get("https://localhost:\(server.port)/lich.bin", bodyLimit: 10)
        }
        #expect(unreadable?.description.contains("no-such-ca.crt") == true, "\(String(describing: unreadable))")
    }
}
