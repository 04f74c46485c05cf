import ArgumentParser
import Foundation
import LoaController
import LoaDomain
import LoaProtocol

/// `loa announce`: uploads audio and sends it to hamlets at an instant.
struct AnnounceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce", abstract: "Phát một thông báo tới các thôn (send an announcement to hamlets).")

    @Option(help: "Audio file (WAV or MP3)")
    var audio: String
    @Option(help: "Hamlet id; repeat for several (--hamlet thon-1 --hamlet thon-2)")
    var hamlet: [String]
    @Option(help: "When to air: now, +30s, +10m, 17:30 (today), or 2026-11-24T17:30:00+07:00")
    var at: String = "now"
    @Option(help: "Title shown in logs and reports")
    var title: String?
    @Option(help: "Category: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
    var category: String = Category.other.rawValue
    @Option(help: "Priority class: normal, priority, emergency")
    var priority: String = PriorityClass.normal.rawValue
    @Option(help: "Controller settings file; gives the address and the API token")
    var config: String?
    @Option(help: "Controller address, e.g. http://127.0.0.1:8080 (instead of --config)")
    var controller: String?
    @Option(help: "API token file (instead of --config)")
    var tokenFile: String?
    @Option(help: "Time zone for times of day like 17:30")
    var timeZone: String = "Asia/Ho_Chi_Minh"

    func validate() throws {
        guard Category(rawValue: category) != nil else {
            throw ValidationError("--category '\(category)' is not one of: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard PriorityClass(rawValue: priority) != nil else {
            throw ValidationError("--priority '\(priority)' is not one of: normal, priority, emergency")
        }
        guard !hamlet.isEmpty else { throw ValidationError("give at least one --hamlet") }
    }

    func run() async throws {
        let client = try ControllerClient(configPath: config, controllerURL: controller, tokenFile: tokenFile)
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ValidationError("--time-zone '\(timeZone)' is not an IANA time zone; e.g. Asia/Ho_Chi_Minh")
        }
        let startAt = try InstantExpression.parse(at, now: Date(), timeZone: zone)
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: audio))
        } catch {
            throw ValidationError("--audio \(audio): cannot be read (\(error.localizedDescription))")
        }
        let media = try WireCoding.decode(MediaReference.self, from: try await client.send("POST", "media", body: bytes, contentType: "application/octet-stream"))
        let request = AnnouncementRequest(
            title: title ?? URL(fileURLWithPath: audio).deletingPathExtension().lastPathComponent,
            category: Category(rawValue: category), priority: PriorityClass(rawValue: priority), media: media.sha256,
            hamlets: hamlet, startAt: startAt)
        let answer = try await client.send("POST", "announcements", body: try WireCoding.encode(request))
        let created = try WireCoding.decode(Announcement.self, from: answer)
        let delivery = (try? WireCoding.decode(DeliveryField.self, from: answer))?.delivery
        if delivery == .pending {
            print("Đã lưu thông báo, chờ gửi xuống loa / announcement stored, delivery pending: \(created.id)")
            print("  máy chủ tin nhắn chưa nhận; sẽ gửi khi kết nối lại (the broker has not taken it yet; it goes out when it does)")
        } else {
            print("Đã gửi thông báo / announcement sent: \(created.id)")
        }
        print("  thôn / hamlets: \(created.hamlets.joined(separator: ", "))")
        print("  phát lúc / airs at: \(WireCoding.format(created.startAt)) (\(media.durationMs) ms, sha256 \(media.sha256.prefix(12))…)")
    }

    /// The `delivery` beside the announcement's fields in the controller's answer.
    private struct DeliveryField: Decodable {
        var delivery: SentAnnouncement.Delivery
    }
}
