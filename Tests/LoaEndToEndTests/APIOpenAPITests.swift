import Foundation
import Hummingbird
import LoaController
import LoaStore
import LoaHarness
import Testing
import Yams

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OpenAPI document against the router the controller really runs: every
/// registered route is documented with its method, and nothing documented is missing.
@Suite("API: the OpenAPI document matches the routes", .serialized)
struct APIOpenAPITests {
    static let methods: Set = ["get", "put", "post", "delete", "patch", "head", "options"]
    /// Where the API lives; the console's HTML pages elsewhere are for browsers, not in the document.
    static let apiPrefixes = ["/api/", "/log/", "/media/", "/zones/", "/metrics", "/healthz", "/login", "/logout"]

    /// "METHOD /path" of every operation in the document.
    static func documented(_ text: String) throws -> Set<String> {
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths {
            let item = try #require(item as? [String: Any], "\(path)")
            for method in item.keys where methods.contains(method) { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }

    @Test("every API route of ControllerRouter is in openapi.yaml with its method, and every documented operation is a route")
    func documentMatchesRouter() async throws {
        let commune = try await Commune()
        let router = ControllerRouter.make(controller: commune.controller, apiToken: "test-token")
        try router.validate()
        let registered = Set(router.routes.filter { route in Self.apiPrefixes.contains { route.path.description.hasPrefix($0) } }
            .map { "\($0.method) \($0.path)" })
        let documented = try Self.documented(ControllerRouter.openAPIDocument)
        #expect(registered.contains("GET /api/v1/hamlets") && registered.contains("GET /metrics"), "\(registered.sorted())")
        #expect(registered.subtracting(documented).isEmpty, "routes not documented: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented but not routes: \(documented.subtracting(registered).sorted())")
        await commune.stop()
    }

    @Test("GET /api/openapi.yaml serves the document without a login")
    func served() async throws {
        let commune = try await Commune()
        let (data, response) = try await LoopbackHTTP.data(from: URL(string: "http://127.0.0.1:\(commune.httpPort)/api/openapi.yaml")!)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("application/yaml") == true)
        #expect(String(decoding: data, as: UTF8.self) == ControllerRouter.openAPIDocument)
        #expect(try Self.documented(String(decoding: data, as: UTF8.self)).contains("POST /api/v1/schedules/plan"))
        await commune.stop()
    }

    @Test("each documented x-loa-roles is the role table's (APIPermission) for that operation")
    func rolesMatchTheTable() throws {
        let document = try #require(try Yams.load(yaml: ControllerRouter.openAPIDocument) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        func roles(_ method: String, _ path: String) -> Set<String>? {
            ((paths[path]?[method] as? [String: Any])?["x-loa-roles"] as? [String]).map(Set.init)
        }
        let table: [(String, String, APIPermission)] = [
            ("post", "/api/v1/media", .uploadMedia), ("post", "/api/v1/notice-attachments", .uploadMedia),
            ("post", "/api/v1/announcements", .announce), ("get", "/api/v1/events", .readEvents), ("get", "/api/v1/log", .readEvents),
            ("get", "/api/v1/devices", .readDevices), ("post", "/api/v1/log/checkpoint", .signCheckpoint),
            ("post", "/api/v1/schedules", .applySchedule), ("get", "/api/v1/schedules/active", .readSchedules),
            ("get", "/api/v1/schedules/{version}/approvals", .readSchedules), ("post", "/api/v1/schedules/{version}/approvals", .approve),
            ("get", "/api/v1/me", .whoAmI), ("get", "/api/v1/hamlets", .readHamlets), ("post", "/api/v1/schedules/plan", .planSchedule),
            ("get", "/api/v1/reports", .readReports), ("get", "/api/v1/users", .manageUsers), ("post", "/api/v1/users", .manageUsers),
            ("post", "/api/v1/users/{name}/disable", .manageUsers), ("get", "/api/v1/audit", .readAudit), ("get", "/metrics", .readMetrics),
            ("get", "/api/v1/deliveries/{item}", .readDelivery), ("post", "/api/v1/keys/rotation", .rotateKey),
            ("get", "/api/v1/schedules/active/plan", .readSchedules), ("post", "/api/v1/live", .speakLive),
            ("put", "/api/v1/live/{id}/audio", .speakLive), ("delete", "/api/v1/live/{id}", .speakLive),
        ]
        for (method, path, permission) in table {
            #expect(roles(method, path) == permission.roles.map { Set($0.map(\.rawValue)) }, "\(method) \(path)")
        }
        #expect(Set(table.map(\.2)) == Set(APIPermission.allCases), "every permission is used by a documented operation")

        // Each operation that needs a user documents 401, and 403 when only some roles may.
        for (path, item) in paths {
            for (method, value) in item where Self.methods.contains(method) {
                let operation = try #require(value as? [String: Any])
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                let isPublic = (operation["security"] as? [Any])?.isEmpty == true
                if !isPublic, path.hasPrefix("/api/v1/") || path == "/metrics" {
                    #expect(responses["401"] != nil, "\(method) \(path) documents no 401")
                }
                if operation["x-loa-roles"] != nil { #expect(responses["403"] != nil, "\(method) \(path) documents no 403") }
            }
        }
    }
}
