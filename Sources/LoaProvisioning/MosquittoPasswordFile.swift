public import Foundation

/// A mosquitto `password_file`: one `username:hash` line per account, the hash
/// as `MosquittoPasswordHash` (the format `mosquitto_passwd` writes).
public struct MosquittoPasswordFile: Sendable, Equatable {
    /// One line of the file.
    public struct Entry: Sendable, Equatable {
        /// The MQTT username (Loa: the device id, or the controller's account).
        public var username: String
        /// Its password hash.
        public var hash: MosquittoPasswordHash

        /// An entry for `username`.
        public init(username: String, hash: MosquittoPasswordHash) {
            self.username = username
            self.hash = hash
        }
    }

    /// The accounts, in file order.
    public private(set) var entries: [Entry]

    /// An empty file.
    public init() { entries = [] }

    /// Parses a file's text; blank lines and `#` comments are skipped.
    /// - Throws: `ProvisioningError.badPasswordLine` with the line number.
    public init(text: String) throws {
        entries = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  let hash = try? MosquittoPasswordHash(text: String(line[line.index(after: colon)...]))
            else { throw ProvisioningError.badPasswordLine(number + 1) }
            entries.append(Entry(username: String(line[..<colon]), hash: hash))
        }
    }

    /// Reads a password file.
    public init(contentsOf url: URL) throws {
        try self.init(text: String(contentsOf: url, encoding: .utf8))
    }

    /// The file's text, one line per entry.
    public func render() -> String { entries.map { "\($0.username):\($0.hash)\n" }.joined() }

    /// Sets the password of `username`, adding the account or replacing its hash.
    /// - Throws: `ProvisioningError.badUsername` for a name mosquitto could not read back (`:` or a line break).
    public mutating func set(username: String, password: String) throws {
        try set(Entry(username: username, hash: MosquittoPasswordHash(password: password)))
    }

    /// Adds `entry`, or replaces the entry of the same username.
    public mutating func set(_ entry: Entry) throws {
        guard !entry.username.isEmpty, !entry.username.contains(where: { ":\n\r".contains($0) }) else {
            throw ProvisioningError.badUsername(entry.username)
        }
        if let index = entries.firstIndex(where: { $0.username == entry.username }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    /// Removes `username`; true when it was there.
    @discardableResult
    public mutating func remove(username: String) -> Bool {
        let before = entries.count
        entries.removeAll { $0.username == username }
        return entries.count != before
    }

    /// True when `username` exists and `password` is its password.
    public func verify(username: String, password: String) -> Bool {
        entries.first { $0.username == username }?.hash.matches(password) ?? false
    }
}
