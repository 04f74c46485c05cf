import Foundation
import HTTPTypes
import LoaController
import LoaDomain
import LoaHarness
import LoaProtocol
import LoaStore
import Testing

/// Refusals a client can act on: in the documented shape `{"error": {"message": …}}`,
/// Vietnamese first, naming the field or what would be right, never the controller's insides.
@Suite("API errors in words (no network)")
struct APIErrorTests {
    /// The message of an error reply; fails the test when the body is not the documented shape.
    static func message(_ reply: RouterClient<ControllerRequestContext>.Reply) throws -> String {
        struct Shape: Decodable { struct Inner: Decodable { var message: String }; var error: Inner }
        return try JSONDecoder().decode(Shape.self, from: reply.body).error.message
    }

    @Test("a body of the wrong kind is 415; a bad field is named with what it should be; no Swift types leak")
    func bodies() async throws {
        let site = try await RoutedController()
        defer { site.directory.remove() }
        let leader = try await site.token(for: "chu-tich", displayName: "Trần Văn Bình", roles: [.approver, .officer])
        let plan = try await site.client.send(
            .post, "/api/v1/schedules/plan", bearer: leader, headers: [.contentType: "text/plain"], body: Data("{}".utf8))
        #expect(try plan.status == 415 && Self.message(plan).contains("application/json"))

        let wav = try sampleAudio("chime.wav")
        let mislabelled = try await site.client.send(
            .post, "/api/v1/media", bearer: leader, headers: [.contentType: "application/json"], body: wav)
        #expect(try mislabelled.status == 415 && Self.message(mislabelled).contains("application/octet-stream"))

        let json: HTTPFields = [.contentType: "application/json"]
        let missing = try await site.client.send(
            .post, "/api/v1/announcements", bearer: leader, headers: json, body: Data(#"{"title":"Họp dân","media":"ab"}"#.utf8))
        #expect(try missing.status == 400 && Self.message(missing) == "Thiếu trường hamlets (missing field hamlets)")
        let wrongKind = try await site.client.send(
            .post, "/api/v1/announcements", bearer: leader, headers: json,
            body: Data(#"{"title":5,"media":"ab","hamlets":["thon-a"]}"#.utf8))
        #expect(try wrongKind.status == 400 && Self.message(wrongKind) == "Trường title phải là a string (field title must be a string)")
        let nested = try await site.client.send(
            .post, "/api/v1/announcements", bearer: leader, headers: json,
            body: Data(#"{"title":"x","media":"ab","hamlets":["thon-a",7]}"#.utf8))
        #expect(try Self.message(nested).contains("hamlets[1]"))
        let notJSON = try await site.client.send(.post, "/api/v1/announcements", bearer: leader, headers: json, body: Data("tiêu đề".utf8))
        #expect(try notJSON.status == 400 && Self.message(notJSON).contains("not valid JSON"))
        for reply in [plan, mislabelled, missing, wrongKind, nested, notJSON] {
            #expect(!reply.text.contains("Dictionary<") && !reply.text.contains("Request") && !reply.text.contains("Swift"), "\(reply.text)")
        }
    }

    @Test("too large, no such path, TRACE: each answers in words, in the documented shape")
    func statuses() async throws {
        let site = try await RoutedController()
        defer { site.directory.remove() }
        let admin = site.apiToken
        let large = try await site.client.send(
            .post, "/api/v1/users", bearer: admin, headers: [.contentType: "application/json"], body: Data(count: 70 * 1024))
        #expect(try large.status == 413 && Self.message(large).contains("64 KiB"))
        let nowhere = try await site.client.get("/khong-co")
        #expect(try nowhere.status == 404 && Self.message(nowhere).hasPrefix("Không có địa chỉ này"))
        let trace = try await site.client.send(.trace, "/api/v1/me")
        #expect(try trace.status == 405 && Self.message(trace).hasPrefix("Địa chỉ này không nhận phương thức đó"))
    }
}
