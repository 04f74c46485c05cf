import Foundation
import HTTPTypes
import Hummingbird
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaReports
import LoaStore
import Synchronization
import Testing

/// The commune's export to the province: each completed day pushed to the province's
/// endpoint (a real HTTP server here, on loopback), again until it is taken, never
/// twice once taken; the same export pulled from the API.
@Suite("The province's export")
struct ProvinceExportTests {
    /// What the province's endpoint received: each request's headers and body, and how it answered.
    final class ProvinceEndpoint: Sendable {
        struct Received: Sendable { var idempotencyKey: String?; var authorization: String?; var body: Data; var status: Int }
        let received = Mutex<[Received]>([])
        /// Answers 503 to this many requests before it takes them.
        let refusals = Mutex(0)
        let port = Mutex(0)

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.post("/loa/exports") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 10_000_000)
                let status = self.refusals.withLock { count -> Int in
                    defer { count = max(count - 1, 0) }
                    return count > 0 ? 503 : 201
                }
                self.received.withLock {
                    $0.append(Received(
                        idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!],
                        authorization: request.headers[.authorization], body: Data(body.readableBytesView), status: status))
                }
                return Response(status: .init(code: status))
            }
            return router
        }
    }

    @Test("each completed day is pushed oldest first, retried until taken, never again once taken; the API gives the same export")
    func pushedOncePulledAlike() async throws {
        let endpoint = ProvinceEndpoint()
        let app = Application(
            router: endpoint.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in endpoint.port.withLock { $0 = channel.localAddress?.port ?? 0 } })
        let serving = GracefullyStoppedTask { try await app.runService() }
        defer { Task { await serving.stop() } }
        // A loaded machine (the suites run together) may take a while to bind it.
        try #require(try await eventually(within: .seconds(60)) { endpoint.port.withLock { $0 } != 0 })

        let folder = try TemporaryDirectory(prefix: "loa-export")
        defer { folder.remove() }
        let tokenFile = folder.path("province-token")
        try Data("ma-cua-tinh\n".utf8).write(to: tokenFile)
        // 09:00 in Vietnam on 3 December 2026.
        let now = Mutex(Date(timeIntervalSince1970: 1_796_263_200))
        let site = try await RoutedController(clock: { now.withLock { $0 } }) { settings in
            settings.provinceExport = .init(
                url: "http://127.0.0.1:\(endpoint.port.withLock { $0 })/loa/exports", tokenFile: tokenFile.path)
        }
        defer { site.directory.remove() }

        // On the 3rd: an announcement to thon-a at 10:00 that a receiver played for 5 s.
        let media = try await site.controller.media.addAudio(try sampleAudio("chime.wav"))
        let startAt = now.withLock { $0 }.addingTimeInterval(3600)
        let announcement = try await site.controller.announcements.announce(AnnouncementRequest(
            title: "Họp dân", category: .dialogue, media: media.sha256, hamlets: ["thon-a"], startAt: startAt))
        try await site.controller.store.record(
            DeviceEvent(
                id: "finished:1", device: "loa-thon-a-1", site: Commune.testSite.id, zone: "thon-a", item: "\(announcement.id)@thon-a",
                kind: .finished, at: startAt.addingTimeInterval(5), playedMs: 5000),
            receivedAt: startAt.addingTimeInterval(6))
        #expect(try await site.controller.provinceExport.deliverPending().isEmpty, "the 3rd is not over yet")

        // The 4th, 09:00: the 3rd is due; the province is busy once.
        now.withLock { $0 += 86_400 }
        endpoint.refusals.withLock { $0 = 1 }
        #expect(try await site.controller.provinceExport.deliverPending().isEmpty)
        #expect(try await site.controller.provinceExport.deliverPending() == ["2026-12-03"])
        #expect(try await site.controller.provinceExport.deliverPending().isEmpty, "taken: never sent again")
        let tries = endpoint.received.withLock { $0 }
        #expect(tries.map(\.status) == [503, 201])
        #expect(tries.allSatisfy { $0.idempotencyKey == "xa-thu-nghiem/2026-12-03" && $0.authorization == "Bearer ma-cua-tinh" })
        let pushed = try WireCoding.decode(ProvinceExport.self, from: try #require(tries.last).body)
        #expect(pushed.format == "loa.province-export" && pushed.version == 1 && pushed.period.label == "2026-12-03")
        let airing = try #require(pushed.airings.first { $0.hamlet == "thon-a" && $0.category == "dialogue" })
        #expect(airing.hamletName == "Thôn Đông" && airing.played == 1 && abs(airing.minutes - 5.0 / 60) < 0.001)
        #expect(pushed.minutesByCategory["dialogue"].map { abs($0 - 5.0 / 60) < 0.001 } == true)
        #expect(pushed.log.entries == 2 && pushed.log.checkpoint?.hasPrefix("loa.xa-thu-nghiem\n2\n") == true)

        // Two days later: the 4th and the 5th, oldest first, empty as they are.
        now.withLock { $0 += 2 * 86_400 }
        #expect(try await site.controller.provinceExport.deliverPending() == ["2026-12-04", "2026-12-05"])
        let later = try endpoint.received.withLock { $0 }.suffix(2).map { try WireCoding.decode(ProvinceExport.self, from: $0.body) }
        #expect(later.map(\.period.label) == ["2026-12-04", "2026-12-05"] && later.allSatisfy { $0.airings.isEmpty })

        // Pulled from the API by an auditor: the same figures.
        let auditor = try await site.token(for: "kiem-tra", displayName: "Lê Thị Mai", roles: [.auditor])
        let pulled = try await site.client.get("/api/v1/exports/province?from=2026-12-03&to=2026-12-03", bearer: auditor)
        #expect(pulled.status == 200)
        let fromAPI = try WireCoding.decode(ProvinceExport.self, from: pulled.body)
        #expect(fromAPI.airings == pushed.airings && fromAPI.disclosures == pushed.disclosures)
        #expect(try await site.client.get("/api/v1/exports/province?from=2026-12-03&to=2026-12-03", bearer: site.apiToken).status == 403)
        #expect(try await site.client.get("/api/v1/exports/province?from=2026-12-03", bearer: auditor).status == 400)
    }
}
