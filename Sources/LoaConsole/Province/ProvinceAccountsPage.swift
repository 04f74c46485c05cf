import Foundation
import Hummingbird
import LoaController
import LoaStore

/// `/province/accounts`, for the province's administrators only: every account with
/// its roles and whether it may sign in; add one, disable or enable it again, give it a
/// new password (its sessions end) or other roles. Accounts are never deleted: proposers'
/// and approvers' names stay on record. Below, the audit trail: changes, then sign-ins.
struct ProvinceAccountsPage {
    let context: ProvincePageContext

    /// The page; `flash` names what was just done (`added`, `disabled`, `enabled`, `password`, `roles`).
    func render(flash: String? = nil) async throws -> Response { try await render(flash: flash, form: nil, problems: []) }

    private func render(flash: String?, form: WebForm?, problems: [String], status: HTTPResponse.Status = .ok) async throws -> Response {
        guard isAdministrator else { return refused() }
        let accounts = try await context.desk.provinceAccounts()
        let people = Dictionary(accounts.map { ($0.user.name, $0.user.displayName) }, uniquingKeysWith: { first, _ in first })
        let rows = accounts.map { account -> DataTable.Row in
            let user = account.user
            let state: HTML = account.disabledAt.map { at in
                let by = account.disabledBy.map { people[$0] ?? $0 } ?? ""
                return "<span class=\"badge bad\">\(context(.disabled))</span> <span class=\"muted\">\(context.time(at)) · \(by)</span>"
            } ?? "<span class=\"badge ok\">\(context(.active))</span>"
            let action: HTML = user.name == context.signedIn?.user.name
                ? "<span class=\"muted\">\(context(.yourAccount))</span>"
                : """
                    <form method="post" action="/province/accounts/\(user.name)/\(account.isActive ? "disable" : "enable")"\
                    \(account.isActive ? HTML(" data-confirm=\"\(context(.disableConfirm)) \(user.displayName)?\"") : "")>\(context.csrfField)
                    <button type="submit"\(account.isActive ? HTML(" class=\"cancel\"") : "")>\(context(account.isActive ? .disable : .enable))</button></form>
                    """
            return DataTable.Row(cells: [
                "\(user.displayName)<br><span class=\"muted\">\(user.name)</span>",
                "\(user.roles.sorted().map(context.role).joined(separator: ", "))",
                "\(context.time(account.createdAt))\(account.createdBy.map { " · \(people[$0] ?? $0)" } ?? "")", state, action,
            ])
        }
        let flashes: [String: ProvincePhrase] = [
            "added": .addedFlash, "disabled": .disabledFlash, "enabled": .enabledFlash, "password": .passwordFlash,
            "roles": .rolesFlash,
        ]
        let body: HTML = """
            \(flash.flatMap { flashes[$0] }.map { "<p class=\"flash\" role=\"status\">\(context($0))</p>" as HTML })
            \(problems.isEmpty ? "" : HTML("<ul class=\"alert\" role=\"alert\">\(problems.map { "<li>\($0)</li>" as HTML })</ul>"))
            <section><h2>\(context(.accountList))</h2>
            \(DataTable(headings: [context(.person), context(.roles), context(.created), context(.state), ""], rows: rows).html)
            </section>
            \(addForm(form))
            \(passwordForm(accounts: accounts, form: form))
            \(rolesForm(accounts: accounts, form: form))
            \(try await auditTrail(.accountChanges, people: people))
            \(try await auditTrail(.signIns, people: people))
            """
        return context.page(title: context(.accountsTitle), status: status, body: body)
    }

    /// How many lines of each part of the trail the page shows.
    static let auditShown = 50

    /// The latest lines of one part of the trail: when, who, what, to whom; for sign-ins,
    /// the address instead of who (a refused name is the person tried).
    private func auditTrail(_ kind: ProvinceAuditKind, people: [String: String]) async throws -> HTML {
        let entries = try await context.desk.provinceAccountAudit(kind, limit: Self.auditShown)
        guard !entries.isEmpty else { return "" }
        let rows = entries.map { entry -> [HTML] in
            let actor = entry.actor.map { people[$0] ?? $0 } ?? ""
            let subject = entry.subject.map { people[$0] ?? $0 } ?? ""
            let what = "\(context.language.inLanguage(entry.action.text))"
            return switch kind {
            case .accountChanges: ["\(context.time(entry.at))", "\(actor)", "\(what)", "\(subject)"]
            case .signIns: ["\(context.time(entry.at))", "\(subject)", "\(what)", "\(entry.clientAddress ?? "")"]
            }
        }
        let (title, headings): (ProvincePhrase, [ProvincePhrase]) = switch kind {
        case .accountChanges: (.auditTitle, [.when, .who, .what, .person])
        case .signIns: (.signInsTitle, [.when, .person, .what, .fromAddress])
        }
        return """
            <section><h2>\(context(title))</h2>
            \(DataTable(headings: headings.map { context($0) }, cells: rows).html)
            </section>
            """
    }

    private var isAdministrator: Bool { context.signedIn?.user.roles.contains(.admin) == true }

    private func refused() -> Response {
        context.page(title: context(.accountsTitle), status: .forbidden, body: "<p class=\"alert\">\(context(.onlyAdmins))</p>")
    }

    /// A checkbox per province role, ticked as `form` (sent back with a problem) had it.
    private func roleChoices(checkedIn form: WebForm?) -> [HTML] {
        ProvinceUser.Role.allCases.map { role -> HTML in
            let checked = form?["role-\(role.rawValue)"] != nil ? HTML(" checked") : HTML("")
            return "<label class=\"choice\"><input type=\"checkbox\" name=\"role-\(role.rawValue)\"\(checked)> \(context.role(role))</label>"
        }
    }

    private func addForm(_ form: WebForm?) -> HTML {
        let adding = form?["action"] == "add" ? form : nil
        let roles = roleChoices(checkedIn: adding)
        return """
            <section class="card">
            <h2>\(context(.addAccount))</h2>
            <p class="muted">\(context(.addAccountHint))</p>
            <form method="post" action="/province/accounts" class="stack">
            \(context.csrfField)<input type="hidden" name="action" value="add">
            <label for="name">\(context(.accountName))</label>
            <input type="text" id="name" name="name" autocomplete="off" pattern="[a-z0-9][a-z0-9-]*" maxlength="64" value="\(adding?["name"] ?? "")" required>
            <label for="display">\(context(.person))</label>
            <input type="text" id="display" name="display" maxlength="100" value="\(adding?["display"] ?? "")" required>
            <fieldset><legend>\(context(.roles))</legend>\(roles)</fieldset>
            <label for="password">\(context(.firstPassword))</label>
            <input type="password" id="password" name="password" autocomplete="new-password" minlength="\(PasswordPolicy.minimumLength)" required>
            <div class="actions"><button type="submit" class="primary">\(context(.addAccount))</button></div>
            </form>
            </section>
            """
    }

    private func passwordForm(accounts: [ProvinceAccount], form: WebForm?) -> HTML {
        let chosen = form?["action"] == "password" ? form?["name"] : nil
        let options = accounts.map { account -> HTML in
            let selected = account.user.name == chosen ? HTML(" selected") : HTML("")
            return "<option value=\"\(account.user.name)\"\(selected)>\(account.user.displayName) (\(account.user.name))</option>"
        }
        return """
            <section class="card">
            <h2>\(context(.setPassword))</h2>
            <p class="muted">\(context(.setPasswordHint))</p>
            <form method="post" action="/province/accounts/password" class="stack">
            \(context.csrfField)<input type="hidden" name="action" value="password">
            <label for="account">\(context(.person))</label>
            <select id="account" name="name">\(options)</select>
            <label for="new-password">\(context(.newPassword))</label>
            <input type="password" id="new-password" name="password" autocomplete="new-password" minlength="\(PasswordPolicy.minimumLength)" required>
            <div class="actions"><button type="submit" class="primary">\(context(.setPassword))</button></div>
            </form>
            </section>
            """
    }

    /// New roles for another account: choose it, tick every role it is to have (its roles
    /// now are in the list above). One's own account is not offered.
    private func rolesForm(accounts: [ProvinceAccount], form: WebForm?) -> HTML {
        let changing = form?["action"] == "roles" ? form : nil
        let options = accounts.filter { $0.user.name != context.signedIn?.user.name }.map { account -> HTML in
            let selected = account.user.name == changing?["name"] ? HTML(" selected") : HTML("")
            return "<option value=\"\(account.user.name)\"\(selected)>\(account.user.displayName) (\(account.user.name))</option>"
        }
        let roles = roleChoices(checkedIn: changing)
        return """
            <section class="card">
            <h2>\(context(.setRoles))</h2>
            <p class="muted">\(context(.setRolesHint))</p>
            <form method="post" action="/province/accounts/roles" class="stack">
            \(context.csrfField)<input type="hidden" name="action" value="roles">
            <label for="roles-account">\(context(.person))</label>
            <select id="roles-account" name="name">\(options)</select>
            <fieldset><legend>\(context(.roles))</legend>\(roles)</fieldset>
            <div class="actions"><button type="submit" class="primary">\(context(.setRoles))</button></div>
            </form>
            </section>
            """
    }

    /// A posted new account: stored, or the form again (without the password) with what is wrong.
    func add(_ form: WebForm) async throws -> Response {
        guard let admin = context.signedIn?.user, isAdministrator else { return refused() }
        let roles = Set(ProvinceUser.Role.allCases.filter { form["role-\($0.rawValue)"] != nil })
        let user = ProvinceUser(
            name: (form["name"] ?? "").trimmingCharacters(in: .whitespaces),
            displayName: (form["display"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping,
            roles: roles)
        return try await changing(form) {
            try await context.desk.addProvinceUser(user, password: form["password"] ?? "", by: admin.name, at: context.controller.now)
            return "added"
        }
    }

    /// Disables or enables the account `name` again.
    func setActive(_ name: String, _ active: Bool) async throws -> Response {
        guard let admin = context.signedIn?.user, isAdministrator else { return refused() }
        return try await changing(nil) {
            if active {
                try await context.desk.enableProvinceUser(name, by: admin.name, at: context.controller.now)
                return "enabled"
            }
            try await context.desk.disableProvinceUser(name, by: admin.name, at: context.controller.now)
            return "disabled"
        }
    }

    /// A new password for the account the form names.
    func setPassword(_ form: WebForm) async throws -> Response {
        guard let admin = context.signedIn?.user, isAdministrator else { return refused() }
        return try await changing(form) {
            try await context.desk.setProvinceUserPassword(
                form["name"] ?? "", password: form["password"] ?? "", by: admin.name, at: context.controller.now)
            return "password"
        }
    }

    /// The roles the form ticks, in place of the chosen account's own.
    func setRoles(_ form: WebForm) async throws -> Response {
        guard let admin = context.signedIn?.user, isAdministrator else { return refused() }
        let roles = Set(ProvinceUser.Role.allCases.filter { form["role-\($0.rawValue)"] != nil })
        return try await changing(form) {
            try await context.desk.setProvinceUserRoles(form["name"] ?? "", roles: roles, by: admin.name, at: context.controller.now)
            return "roles"
        }
    }

    /// Runs `change`, then shows the page with what was done, or with why it was refused.
    private func changing(_ form: WebForm?, _ change: () async throws -> String) async throws -> Response {
        do {
            return .redirect(to: "/province/accounts?done=\(try await change())", type: .normal)
        } catch let refusal as ProvinceEmergencyError {
            guard case .invalid(let problems) = refusal else { throw refusal }
            return try await render(
                flash: nil, form: form, problems: problems.map(context.language.inLanguage), status: .unprocessableContent)
        } catch let refusal as ProvinceAccountError {
            var status = HTTPResponse.Status.conflict
            if case .unknown = refusal { status = .notFound }
            return try await render(flash: nil, form: form, problems: [context.language.inLanguage(refusal.description)], status: status)
        }
    }
}
