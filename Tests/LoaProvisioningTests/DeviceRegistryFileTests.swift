import Foundation
import LoaHarness
import LoaProvisioning
import Testing

/// The running controller's view of the registry follows the file.
@Suite("The registry file as the controller reads it")
struct DeviceRegistryFileTests {
    @Test("a device added or revoked in the file is seen at the next read; an unchanged file is not parsed again")
    func followsTheFile() throws {
        let directory = try TemporaryDirectory(prefix: "loa-registry-file")
        defer { directory.remove() }
        let url = directory.path("devices.json")
        let file = DeviceRegistryFile(url: url)
        #expect(try file.current().devices.isEmpty, "no file is an empty registry")
        var registry = DeviceRegistry()
        let device = try registry.add(site: "xa-thu-nghiem", hamlet: "thon-a").username
        try registry.save(to: url)
        #expect(try file.current().device(device)?.isActive == true)
        try registry.revoke(device)
        try registry.save(to: url)
        #expect(try file.current().device(device)?.isActive == false, "the revocation is seen at once")
        try Data("not json".utf8).write(to: url)
        #expect(throws: (any Error).self) { try file.current() }
    }
}
