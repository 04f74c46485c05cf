import Foundation
import Hummingbird
import LoaController
import LoaDomain
import LoaStore

/// `/province/emergencies/{id}`: one emergency as the province follows it: its words,
/// its approvals (and the approve button for an approver who may), each addressed
/// commune's take-up with its receivers ready, sounding and finished, and withdrawal.
struct ProvinceEmergencyPage {
    let context: ProvincePageContext
    let id: String

    /// The page; `flash` names what was just done (`proposed`, `approved`, `sent`, `withdrawn`).
    func render(flash: String? = nil, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let emergency = try await context.desk.provinceEmergency(id: id) else {
            return context.page(
                title: context(.deskTitle), status: .notFound,
                body: "<p class=\"alert\">\(context.language.inLanguage(ProvinceEmergencyError.unknownEmergency(id).description))</p>")
        }
        let flashes: [String: ProvincePhrase] = [
            "proposed": .proposedFlash, "approved": .approvedFlash, "sent": .sentFlash, "withdrawn": .withdrawnFlash,
        ]
        let takeUps = try await context.desk.takeUps(of: id)
        let names = Dictionary(try await context.desk.provinceCommunes().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let communes = DataTable(
            headings: [context(.commune), context(.takenUp), context(.ready), context(.sounding), context(.finished)],
            cells: emergency.communes.map { commune -> [HTML] in
                let takeUp = takeUps[commune]
                return [
                    "\(names[commune] ?? commune) <span class=\"muted\">(\(commune))</span>",
                    "\(takeUp.map { context.time($0.takenAt) } ?? context(.notTakenUp))",
                    "\(takeUp?.receiversReady ?? 0)", "\(takeUp?.receiversStarted ?? 0)", "\(takeUp?.receiversFinished ?? 0)",
                ]
            })
        let people = try await context.desk.provincePeople()
        let approvals = emergency.approvals.map { "<li>\(people[$0.approver] ?? $0.approver) · \(context.time($0.at))</li>" as HTML }
        let body: HTML = """
            <p><a href="/province">\(context(.back))</a></p>
            \(flash.flatMap { flashes[$0] }.map { "<p class=\"flash\" role=\"status\">\(context($0))</p>" as HTML })
            \(problem.map { "<p class=\"alert\" role=\"alert\">\($0)</p>" as HTML })
            <section class="card">
            <h2>\(emergency.title) \(Self.badge(emergency, context))</h2>
            <p><strong>\(context(.startsAt)):</strong> \(context.time(emergency.startAt)) · <strong>\(context(.proposedBy)):</strong> \(people[emergency.proposedBy] ?? emergency.proposedBy), \(context.time(emergency.proposedAt))</p>
            <blockquote lang="vi">\(emergency.text)</blockquote>
            <p><strong>\(context(.listen))</strong><br><audio controls preload="none" src="/province/emergencies/\(emergency.id)/speech"></audio></p>
            <h3>\(context(.approvals)) (\(Set(emergency.approvals.map(\.approver)).count)/\(ProvinceEmergency.requiredApprovers))</h3>
            \(approvals.isEmpty ? "" : HTML("<ul>\(approvals)</ul>"))
            \(actions(emergency))
            </section>
            <section><h2>\(context(.communes))</h2>\(communes.html)</section>
            """
        return context.page(title: emergency.title, status: status, body: body)
    }

    /// What the signed-in account may do with it now.
    private func actions(_ emergency: ProvinceEmergency) -> HTML {
        guard let user = context.signedIn?.user, emergency.cancelledAt == nil else { return "" }
        var parts: [HTML] = []
        if !emergency.isApproved {
            if !user.roles.contains(.approver) {
                parts.append("<p class=\"muted\">\(context(.onlyApprovers))</p>")
            } else if emergency.proposedBy == user.name {
                parts.append("<p class=\"muted\">\(context(.proposerCannotApprove))</p>")
            } else if emergency.approvals.contains(where: { $0.approver == user.name }) {
                parts.append("<p class=\"muted\">\(context(.youApproved))</p>")
            } else {
                parts.append("""
                    <form method="post" action="/province/emergencies/\(emergency.id)/approve">\(context.csrfField)
                    <p class="muted">\(context(.approveHint))</p>
                    <button type="submit" class="primary">\(context(.approve))</button></form>
                    """)
            }
        }
        parts.append("""
            <form method="post" action="/province/emergencies/\(emergency.id)/withdraw" data-confirm="\(context(.withdrawConfirm))">\(context.csrfField)
            <button type="submit" class="primary cancel">\(context(.withdraw))</button></form>
            """)
        return "<div class=\"actions\">\(parts)</div>"
    }

    /// Its text read by this controller's text-to-speech, as the communes' loudspeakers
    /// will read it (made once, kept in the media library as a commune's speech is).
    func speech() async throws -> Response {
        guard let emergency = try await context.desk.provinceEmergency(id: id) else { throw HTTPError(.notFound) }
        let controller = context.controller
        guard let speech = try await SpeechPreview.audio(for: emergency.text.precomposedStringWithCanonicalMapping, controller: controller),
            let data = await controller.media.bytes(sha256: speech.sha256)
        else { throw HTTPError(.serviceUnavailable, message: context(.speechUnavailable)) }
        return Response(
            status: .ok, headers: [.contentType: speech.contentType, .cacheControl: "private, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The signed-in approver's approval; the second one sends it.
    func approve() async throws -> Response {
        guard let user = context.signedIn?.user else { throw HTTPError(.unauthorized) }
        do {
            let emergency = try await context.desk.approveEmergency(id: id, by: user, at: context.controller.now)
            return .redirect(to: "/province/emergencies/\(id)?done=\(emergency.isApproved ? "sent" : "approved")", type: .normal)
        } catch let refusal as ProvinceEmergencyError {
            return try await render(problem: context.language.inLanguage(refusal.description), status: Self.status(of: refusal))
        }
    }

    /// Withdraws it everywhere (any province account may: stopping a wrong alarm must not wait).
    func withdraw() async throws -> Response {
        guard let user = context.signedIn?.user else { throw HTTPError(.unauthorized) }
        do {
            try await context.desk.cancelEmergency(id: id, by: user, at: context.controller.now)
            return .redirect(to: "/province/emergencies/\(id)?done=withdrawn", type: .normal)
        } catch let refusal as ProvinceEmergencyError {
            return try await render(problem: context.language.inLanguage(refusal.description), status: Self.status(of: refusal))
        }
    }

    private static func status(of refusal: ProvinceEmergencyError) -> HTTPResponse.Status {
        switch refusal {
        case .notAllowed: .forbidden
        case .unknownEmergency: .notFound
        case .invalid: .unprocessableContent
        case .proposerCannotApprove, .alreadyApproved, .cancelled: .conflict
        }
    }

    /// Where an emergency stands, as a badge.
    static func badge(_ emergency: ProvinceEmergency, _ context: ProvincePageContext) -> HTML {
        if emergency.cancelledAt != nil { return "<span class=\"badge bad\">\(context(.withdrawn))</span>" }
        if emergency.isApproved { return "<span class=\"badge ok\">\(context(.approved))</span>" }
        let count = Set(emergency.approvals.map(\.approver)).count
        return "<span class=\"badge warn\">\(context(.awaiting)) \(count)/\(ProvinceEmergency.requiredApprovers)</span>"
    }
}
