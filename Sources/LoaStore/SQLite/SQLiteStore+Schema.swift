import Foundation
import GRDB
import LoaProtocol

extension SQLiteStore {
    /// The database's schema, one named migration per change, applied in order at open.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: media, announcements, zones, devices, events") { db in
            try db.create(table: "media") { t in
                t.primaryKey("sha256", .text)
                t.column("bytes", .integer).notNull()
                t.column("contentType", .text).notNull()
                t.column("durationMs", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "announcement") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("category", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("mediaSha256", .text).notNull().references("media")
                t.column("startAt", .datetime).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "announcementHamlet") { t in
                t.column("announcementId", .text).notNull().references("announcement", onDelete: .cascade)
                t.column("hamlet", .text).notNull()
                t.primaryKey(["announcementId", "hamlet"])
            }
            try db.create(table: "zoneDocument") { t in
                t.primaryKey("zone", .text)
                t.column("version", .integer).notNull()
                t.column("issuedAt", .datetime).notNull()
                t.column("document", .blob).notNull()
            }
            try db.create(table: "device") { t in
                t.primaryKey("id", .text)
                t.column("zone", .text).notNull()
                t.column("status", .text).notNull()
                t.column("lastSeen", .datetime).notNull()
                t.column("software", .text)
            }
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("id", .text).notNull().unique()
                t.column("device", .text).notNull().indexed()
                t.column("site", .text).notNull()
                t.column("zone", .text).notNull()
                t.column("item", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("measuredStartAt", .datetime)
                t.column("startOffsetMs", .double)
                t.column("playedMs", .integer)
                t.column("reason", .text)
                t.column("receivedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2: transparency log and checkpoints") { db in
            try db.create(table: "logEntry") { t in
                t.primaryKey("position", .integer)
                t.column("entry", .blob).notNull()
                t.column("leafHash", .blob).notNull()
                t.column("chainHash", .blob).notNull()
            }
            try db.create(table: "checkpoint") { t in
                t.primaryKey("size", .integer)
                t.column("note", .text).notNull()
                t.column("signedAt", .datetime).notNull()
            }
            // The checkpoint of the whole log, re-signed in the transaction of every append.
            try db.create(table: "headCheckpoint") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("size", .integer).notNull()
                t.column("note", .text).notNull()
            }
            try db.alter(table: "event") { t in t.add(column: "logPosition", .integer) }
        }
        migrator.registerMigration("v3: users, schedule versions, approvals") { db in
            // Console and API users; the token itself is never stored, only its SHA-256.
            try db.create(table: "consoleUser") { t in
                t.primaryKey("name", .text)
                t.column("displayName", .text).notNull()
                t.column("roles", .text).notNull()
                t.column("tokenSha256", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("disabledAt", .datetime)
            }
            // Every applied schedule; the highest version is the active one.
            try db.create(table: "scheduleVersion") { t in
                t.primaryKey("version", .integer)
                t.column("site", .text).notNull()
                t.column("schedule", .blob).notNull()
                t.column("digest", .text).notNull()
                t.column("sources", .blob).notNull()
                t.column("appliedAt", .datetime).notNull()
                t.column("appliedBy", .text).notNull()
                t.column("logPosition", .integer)
            }
            // Approvals hold for a programme's content (id and digest), in whichever version it appears.
            try db.create(table: "programmeApproval") { t in
                t.column("programme", .text).notNull()
                t.column("digest", .text).notNull()
                t.column("approver", .text).notNull()
                t.column("approvedAt", .datetime).notNull()
                t.column("version", .integer).notNull()
                t.column("logPosition", .integer)
                t.primaryKey(["programme", "digest", "approver"])
            }
        }
        migrator.registerMigration("v4: passwords, console sessions, console audit") { db in
            // `PasswordHash` text; null for a user who signs in with a token only.
            try db.alter(table: "consoleUser") { t in t.add(column: "passwordHash", .text) }
            // Login sessions, kept by the SHA-256 of their id (the cookie's value is never stored).
            try db.create(table: "consoleSession") { t in
                t.primaryKey("idSha256", .text)
                t.column("user", .text).notNull().indexed().references("consoleUser", onDelete: .cascade)
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            // Who did what in the console: users, passwords, logins. Not the transparency log (personal data).
            try db.create(table: "consoleAudit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("action", .text).notNull()
                t.column("actor", .text)
                t.column("subject", .text)
                t.column("detail", .text)
                t.column("clientAddress", .text)
            }
        }
        migrator.registerMigration("v5: device health (volume, cache, last error, clock offset)") { db in
            try db.alter(table: "device") { t in
                t.add(column: "volume", .integer)
                t.add(column: "cachedMedia", .integer)
                t.add(column: "cacheBytes", .integer)
                t.add(column: "lastError", .text)
                t.add(column: "clockOffsetMs", .double)
            }
        }
        migrator.registerMigration("v6: an event id is unique per device, not across devices") { db in
            // A device chose its ids, and the controller's own (`missed-by-controller:{item}`)
            // are predictable: with one id space a device could send one first and so
            // erase the controller's record. Each device (the controller too) has its own.
            try db.create(table: "eventByDevice") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("id", .text).notNull()
                t.column("device", .text).notNull().indexed()
                t.column("site", .text).notNull()
                t.column("zone", .text).notNull()
                t.column("item", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("measuredStartAt", .datetime)
                t.column("startOffsetMs", .double)
                t.column("playedMs", .integer)
                t.column("reason", .text)
                t.column("receivedAt", .datetime).notNull()
                t.column("logPosition", .integer)
                t.uniqueKey(["device", "id"])
            }
            try db.execute(sql: "INSERT INTO eventByDevice SELECT sequence, id, device, site, zone, item, kind, at, measuredStartAt, startOffsetMs, playedMs, reason, receivedAt, logPosition FROM event")
            try db.drop(table: "event")
            try db.rename(table: "eventByDevice", to: "event")
        }
        migrator.registerMigration("v7: what each hamlet was sent; refused device events") { db in
            // An event from a device is believed only about what its hamlet was sent.
            try db.create(table: "sentItem", options: .withoutRowID) { t in
                t.column("zone", .text).notNull()
                t.column("item", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("startAt", .datetime).notNull()
                t.column("endAt", .datetime).notNull()
                t.column("durationMs", .integer)
                t.column("firstSentAt", .datetime).notNull()
                t.primaryKey(["zone", "item"])
            }
            // What the latest documents listed was sent before this table existed.
            for row in try Row.fetchAll(db, sql: "SELECT document FROM zoneDocument") {
                guard let document = try? WireCoding.decode(ZoneSchedule.self, from: row["document"] as Data) else { continue }
                try recordSent(SentItem.listed(in: document), db)
            }
            // Refused messages: evidence outside the log, and counts per device and reason.
            try db.create(table: "refusedEvent") { t in
                t.column("device", .text).notNull()
                t.column("digest", .text).notNull()
                t.column("eventID", .text)
                t.column("receivedAt", .datetime).notNull()
                t.column("reason", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("payloadBytes", .integer).notNull()
                t.column("excerpt", .text).notNull()
                t.uniqueKey(["device", "digest"])
            }
            try db.create(table: "deviceRefusal", options: .withoutRowID) { t in
                t.column("device", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("count", .integer).notNull()
                t.column("lastAt", .datetime).notNull()
                t.column("lastDetail", .text).notNull()
                t.primaryKey(["device", "reason"])
            }
        }
        migrator.registerMigration("v8: leases on periodic jobs") { db in
            try db.create(table: "jobLease", options: .withoutRowID) { t in
                t.primaryKey("job", .text)
                t.column("holder", .text).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v9: the signed envelope of each hamlet's document, for fetching over HTTP") { db in
            try db.alter(table: "zoneDocument") { t in t.add(column: "sealed", .blob) }
        }
        migrator.registerMigration("v10: deliveries of the province's export") { db in
            try db.create(table: "exportDelivery", options: .withoutRowID) { t in
                t.column("destination", .text).notNull()
                t.column("period", .text).notNull()
                t.column("digest", .text).notNull()
                t.column("deliveredAt", .datetime).notNull()
                t.primaryKey(["destination", "period"])
            }
        }
        migrator.registerMigration("v11: devices' clock estimates and speaker self-tests; clock and sound with each play") { db in
            try db.alter(table: "device") { t in
                t.add(column: "clockUncertaintyMs", .double)
                t.add(column: "speakerTestedAt", .datetime)
                t.add(column: "speakerScore", .double)
                t.add(column: "speakerFailures", .integer)
            }
            try db.alter(table: "event") { t in
                t.add(column: "clockOffsetMs", .double)
                t.add(column: "clockUncertaintyMs", .double)
                t.add(column: "soundHeard", .boolean)
                t.add(column: "soundScore", .double)
            }
        }
        migrator.registerMigration("v12: the levelling gain of each audio file, measured once by the controller") { db in
            try db.alter(table: "media") { t in t.add(column: "gainDb", .double) }
        }
        return migrator
    }
}
