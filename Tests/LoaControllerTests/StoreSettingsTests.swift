import Foundation
import LoaController
import LoaHarness
import Testing

/// The `store` block of the controller's settings: what is wrong is named, field by field.
@Suite("Store settings")
struct StoreSettingsTests {
    static let example = ExampleSettings.url("controller-postgres.json")

    func problems(_ edit: (inout [String: Any]) -> Void) throws -> String {
        try ExampleSettings.problems(Self.example, section: "store", edit)
    }

    @Test("the example names a password file; unreadable, it is refused with the field named")
    func example() throws {
        let refusal = try problems { _ in }
        #expect(refusal.contains("store.passwordFile '/etc/loa/postgres-password' cannot be read"), "\(refusal)")
    }

    @Test("missing fields, a port out of range and a remote server without TLS are each named")
    func mistakes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let password = directory.path("password")
        try Data("mat-khau".utf8).write(to: password)
        let readable: (inout [String: Any]) -> Void = { store in
            store["passwordFile"] = password.path
            store["secretsKeyFile"] = directory.path("secrets.key").path
        }
        #expect(try problems(readable) == "", "a readable password file and a secrets key that can be made: the example loads")
        let refusal = try problems { store in
            readable(&store)
            store["database"] = nil
            store["port"] = 70000
            store["host"] = "db.tinh.gov.vn"
        }
        #expect(refusal.contains("store.database is missing"), "\(refusal)")
        #expect(refusal.contains("store.port 70000 is not a TCP port"), "\(refusal)")
        #expect(refusal.contains("set store.caFile so the connection is encrypted"), "\(refusal)")
    }

    @Test("a secrets key that can be neither read nor made is named with what to do; on SQLite it is refused")
    func secretsKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let password = directory.path("password")
        try Data("mat-khau".utf8).write(to: password)
        let missingFolder = try problems { store in
            store["passwordFile"] = password.path
            store["secretsKeyFile"] = directory.path("no-such-folder/secrets.key").path
        }
        #expect(missingFolder.contains("store.secretsKeyFile '\(directory.path("no-such-folder/secrets.key").path)' cannot be read (or made)"))
        #expect(missingFolder.contains("copy it from the commune's first controller"), "\(missingFolder)")
        let onSQLite = try problems { store in
            store["engine"] = "sqlite"
            store["secretsKeyFile"] = directory.path("secrets.key").path
        }
        #expect(onSQLite.contains("store.secretsKeyFile is for a PostgreSQL store"), "\(onSQLite)")
    }
}
