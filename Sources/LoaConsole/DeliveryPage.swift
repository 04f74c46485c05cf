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
        let headings = [.receiver, .state, .started, .finished, .reason].map { context($0) }
        let hamlets = delivery.hamlets.map { hamlet -> HTML in
            let rows = hamlet.receivers.map { receiver -> DataTable.Row in
                let presence: HTML = switch receiver.online {
                case true?: "<span class=\"badge ok\">\(context(.online))</span>"
                case false?: "<span class=\"badge bad\">\(context(.offline))</span>"
                case nil: "<span class=\"badge warn\">\(context(.neverSeen))</span>"
                }
                return DataTable.Row(cells: [
                    "\(receiver.device)<br>\(presence)",
                    "<span class=\"badge \(Self.style(receiver.state))\">\(context(Self.phrase(receiver.state)))</span>",
                    "\(context.time(receiver.startedAt))\(receiver.startOffsetMs.map { HTML("<br><span class=\"muted\">\(context(.offset)) \($0 >= 0 ? "+" : "−")\(context.decimal(abs($0))) ms</span>") })",
                    "\(context.time(receiver.finishedAt))\(receiver.playedMs.map { HTML("<br><span class=\"muted\">\(context.decimal(Double($0) / 1000)) \(context(.seconds))</span>") })",
                    "\(receiver.reason.map(context.inLanguage) ?? "")",
                ], attributes: " data-device=\"\(receiver.device)\" data-state=\"\(receiver.state.rawValue)\"")
            }
            return """
                <section data-hamlet="\(hamlet.hamlet)"><h2>\(hamlet.name)</h2>
                <p class="muted">\(context(.scheduled)): \(context.time(hamlet.scheduledAt))</p>
                \(hamlet.notSent.map { HTML("<p class=\"alert\">\(context(.notSent)): \(context.inLanguage($0))</p>") })
                \(rows.isEmpty ? HTML("<p class=\"alert no-receivers\">\(context(.hamletWithoutReceivers))</p>") : DataTable(headings: headings, rows: rows).html)
                </section>
                """
        }
        let settled = delivery.isSettled && !delivery.hamlets.isEmpty
        let unheard = delivery.hamletsWithoutReceivers.map(\.name)
        let state: HTML = switch (settled, unheard.isEmpty) {
        case (true, true): "<p class=\"muted\">\(context(.settled)) · \(context(.updatedAt)) \(context.time(delivery.at))</p>"
        case (true, false):
            "<p class=\"alert unheard\">\(context(.settledExcept)) \(unheard.count) \(context(.hamletsUnheard)): \(unheard.joined(separator: ", "))</p>"
        case (false, _):
            """
            <p class="muted">\(context(.refreshing)) · \(context(.updatedAt)) \(context.time(delivery.at))</p>\(unheard.isEmpty ? HTML("") : HTML("<p class=\"alert unheard\">\(unheard.count) \(context(.hamletsUnheard)): \(unheard.joined(separator: ", "))</p>"))
            """
        }
        let body: HTML = """
            <div id="live"\(settled ? HTML("") : HTML(" data-refresh=\"2\"")) data-settled="\(settled ? "true" : "false")">
            <p class="lead"><strong>\(delivery.title ?? delivery.broadcast)</strong></p>
            <p>\(summary)</p>
            \(state)
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
        case .cancelled: .stateCancelled
        }
    }

    static func style(_ state: ReceiverDelivery.State) -> String {
        switch state {
        case .finished: "ok"
        case .failed, .missed: "bad"
        case .preempted: "warn"
        case .started: "info"
        case .waiting, .received, .ready, .cancelled: ""
        }
    }
}
