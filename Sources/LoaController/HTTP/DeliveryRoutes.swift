public import Foundation
import Hummingbird
import LoaDomain
public import LoaProtocol
import LoaStore

extension ControllerRouter {
    /// `GET /api/v1/delivery?id=ID`: how one broadcast is going, hamlet by hamlet and
    /// receiver by receiver (the console's live view). `id` is an announcement's id or
    /// an airing's without its hamlet (`programme@2026-11-30/sang`); the items are `ID@hamlet`.
    static func addDeliveryRoutes(to api: RouterGroup<ControllerRequestContext>, controller: Controller) {
        api.get("delivery", needs: .readDelivery) { request, _, _ -> Response in
            guard let id = request.uri.queryParameters["id"].map(String.init), !id.isEmpty, !id.contains("@") || OccurrenceID(id + "@x") != nil
            else {
                throw HTTPError(
                    .badRequest,
                    message: "Cần ?id= mã thông báo hoặc mã buổi phát không kèm thôn, ví dụ chuong-trinh@2026-11-30/sang (give ?id= an announcement id, or an airing id without its hamlet)")
            }
            let targeted = Set(try controller.store.hamlets(ofAnnouncement: id) ?? [])
            var hamlets: [DeliveryStatus.Hamlet] = []
            for listing in try hamletListings(of: controller) {
                let item = "\(id)@\(listing.id)"
                let events = try controller.store.events(matching: EventQuery(item: item))
                guard !events.isEmpty || targeted.contains(listing.id) else { continue }
                let expected = listing.devices.filter { $0.revokedAt == nil }.map(\.id)
                hamlets.append(DeliveryStatus.Hamlet(hamlet: listing.id, item: item, expected: expected, events: events))
            }
            guard !hamlets.isEmpty else {
                throw HTTPError(
                    .notFound, message: "Chưa có gì về '\(id)' (nothing known of '\(id)': no announcement with that id, no event of its items)")
            }
            return try json(DeliveryStatus(id: id, hamlets: hamlets))
        }
    }
}

/// `GET /api/v1/delivery`: what each receiver did with one broadcast.
public struct DeliveryStatus: Sendable, Codable, Equatable {
    /// One receiver's furthest step with the item.
    public struct Receiver: Sendable, Codable, Equatable {
        public var device: String
        /// The furthest event: an outcome (`finished`, `failed`, `missed`, `preempted`) over
        /// `started`, over `ready`, over `received`.
        public var kind: DeviceEvent.Kind
        public var at: Date
        public var startOffsetMs: Double?
        public var playedMs: Int?
        public var reason: String?
    }

    /// One hamlet's item.
    public struct Hamlet: Sendable, Codable, Equatable {
        public var hamlet: String
        public var item: String
        /// Receivers that reported something (the controller's own `missed` record as device `controller`).
        public var receivers: [Receiver]
        /// The hamlet's receivers (provisioned or reporting, not revoked) that reported nothing yet.
        public var silent: [String]

        init(hamlet: String, item: String, expected: [String], events: [DeviceEvent]) {
            self.hamlet = hamlet
            self.item = item
            var furthest: [String: DeviceEvent] = [:]
            for event in events where Self.rank(event.kind) >= (furthest[event.device].map { Self.rank($0.kind) } ?? -1) {
                furthest[event.device] = event
            }
            receivers = furthest.values.sorted { $0.device < $1.device }.map { event in
                Receiver(
                    device: event.device, kind: event.kind, at: event.at, startOffsetMs: event.startOffsetMs,
                    playedMs: event.playedMs, reason: event.reason)
            }
            silent = expected.filter { furthest[$0] == nil }
        }

        private static func rank(_ kind: DeviceEvent.Kind) -> Int {
            switch kind {
            case .received: 0
            case .ready: 1
            case .started: 2
            case .finished, .failed, .missed, .preempted: 3
            case .displayed, .stillDisplayed, .takenDown: 0
            }
        }
    }

    public var id: String
    public var hamlets: [Hamlet]
}
