import Foundation
import Hummingbird
import LoaController
import LoaStore

/// The live delivery view of one broadcast: per hamlet and receiver, whether it
/// started and finished playing, failed, missed or was preempted, with times; the
/// page refreshes its table until every receiver is done.
struct DeliveryPage {
    let context: ConsoleContext
    let request: Request

    func render() async throws -> Response {
        guard let key = request.uri.queryParameters.get("item"), !key.isEmpty else {
            return Layout.page(context, title: context(.delivery), current: .delivery, status: .notFound,
                               body: "<p class=\"alert\">\(context(.broadcastUnknown))</p>")
        }
        let delivery = try await context.controller.deliveries.delivery(of: key)
        let counts = delivery.counts
        let summary = ReceiverDelivery.State.allCases.compactMap { state -> HTML? in
            guard let count = counts[state] else { return nil }
            return "<span class=\"badge \(Self.style(state))\">\(context(Self.phrase(state))): \(count)</span> "
        }
        let hamlets = delivery.hamlets.map { hamlet -> HTML in
            let rows = hamlet.receivers.map { receiver -> HTML in
                let presence: HTML = switch receiver.online {
                case true?: "<span class=\"badge ok\">\(context(.online))</span>"
                case false?: "<span class=\"badge bad\">\(context(.offline))</span>"
                case nil: "<span class=\"badge warn\">\(context(.neverSeen))</span>"
                }
                return """
                    <tr data-device="\(receiver.device)" data-state="\(receiver.state.rawValue)"><td>\(receiver.device)<br>\(presence)</td>
                    <td><span class="badge \(Self.style(receiver.state))">\(context(Self.phrase(receiver.state)))</span></td>
                    <td>\(context.time(receiver.startedAt))\(receiver.startOffsetMs.map { HTML("<br><span class=\"muted\">\(context(.offset)) \($0 >= 0 ? "+" : "")\(context.decimal($0)) ms</span>") })</td>
                    <td>\(context.time(receiver.finishedAt))\(receiver.playedMs.map { HTML("<br><span class=\"muted\">\(context.decimal(Double($0) / 1000)) \(context(.seconds))</span>") })</td>
                    <td>\(receiver.reason ?? "")</td></tr>
                    """
            }
            return """
                <section data-hamlet="\(hamlet.hamlet)"><h2>\(hamlet.name)</h2>
                <p class="muted">\(context(.scheduled)): \(context.time(hamlet.scheduledAt)) · \(hamlet.item)</p>
                \(hamlet.notSent.map { HTML("<p class=\"alert\">\(context(.notSent)): \($0)</p>") })
                <table><thead><tr><th>\(context(.receiver))</th><th>\(context(.state))</th><th>\(context(.started))</th><th>\(context(.finished))</th><th>\(context(.reason))</th></tr></thead>
                <tbody>\(rows)</tbody></table></section>
                """
        }
        let body: HTML = """
            <div id="live"\(delivery.isSettled && !delivery.hamlets.isEmpty ? HTML("") : HTML(" data-refresh=\"2\"")) data-settled="\(delivery.isSettled && !delivery.hamlets.isEmpty ? "true" : "false")">
            <p class="lead"><strong>\(delivery.title ?? delivery.broadcast)</strong> <span class="muted">\(delivery.broadcast)</span></p>
            <p>\(summary)</p>
            <p class="muted">\(delivery.isSettled && !delivery.hamlets.isEmpty ? context(.settled) : context(.refreshing)) · \(context(.updatedAt)) \(context.time(delivery.at))</p>
            \(delivery.hamlets.isEmpty ? HTML("<p class=\"alert\">\(context(.broadcastUnknown))</p>") : HTML(joining: hamlets))
            </div>
            """
        return Layout.page(context, title: context(.delivery), current: .delivery, body: body)
    }

    static func phrase(_ state: ReceiverDelivery.State) -> Phrase {
        switch state {
        case .waiting: .stateWaiting
        case .received: .stateReceived
        case .ready: .stateReady
        case .started: .stateStarted
        case .finished: .stateFinished
        case .failed: .stateFailed
        case .missed: .stateMissed
        case .preempted: .statePreempted
        }
    }

    static func style(_ state: ReceiverDelivery.State) -> String {
        switch state {
        case .finished: "ok"
        case .failed, .missed: "bad"
        case .preempted: "warn"
        case .started: "info"
        case .waiting, .received, .ready: ""
        }
    }
}
