#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension UUID {
    /// A random (version 4, RFC 9562) UUID drawn from the system's generator
    /// (`getrandom`). On Linux `UUID()` opens, reads and closes `/dev/urandom` for each
    /// one: three system calls that cost a receipt's seal as much as its Ed25519
    /// signature (`perf`, `loa-bench province`, 10,000 receipts).
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // variant 10 (RFC 9562)
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}
