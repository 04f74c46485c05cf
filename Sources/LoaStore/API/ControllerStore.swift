/// Everything the controller keeps: the store API that an engine implements.
///
/// Loa runs on one engine today, `SQLiteStore` (one commune, one file on disk); a
/// PostgreSQL engine for a province implements the same protocols. The API is
/// cut in roles, so that a service asks for what it uses and no more:
///
/// | Role | What it keeps |
/// |---|---|
/// | `MediaCatalog` | the audio and attachments the media folder holds |
/// | `AnnouncementStore` | one-off announcements |
/// | `ScheduleStore` | schedule versions, their source files and approvals |
/// | `ZoneDocumentStore` | each hamlet's published document and what it listed |
/// | `DeviceReportStore` | receivers' states, events and refused reports |
/// | `ConsoleAccountStore` | console users, sessions and the audit trail |
/// | `TransparencyLogStore` | the log: records, proofs, checkpoints |
/// | `LeaseStore` | which controller runs each periodic job |
/// | `ExportDeliveryStore` | which periods of the province's export were delivered |
///
/// Every write is one transaction: a failed write leaves what was stored as it was.
/// A write that adds log entries (a schedule applied, an approval, device events)
/// appends them in the same transaction, with a signed head checkpoint.
public protocol ControllerStore:
    MediaCatalog, AnnouncementStore, ScheduleStore, ZoneDocumentStore, DeviceReportStore, ConsoleAccountStore,
    TransparencyLogStore, LeaseStore, ExportDeliveryStore
{}
