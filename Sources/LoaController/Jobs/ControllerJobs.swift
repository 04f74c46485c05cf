import Foundation
import LoaDomain
import LoaProvisioning
import LoaStore
import Logging
import ServiceLifecycle
import Synchronization

/// What a controller runs beside its HTTP server: report ingestion and the key
/// switch on every controller; the commune's periodic jobs (republishing the
/// hamlets' documents, signing checkpoints) on the one holding each job's lease.
enum ControllerJobs {
    /// A name for this controller process among the commune's controllers: host, process id and a random part.
    static func instanceName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func services(of controller: Controller, holder: String) -> [any Service] {
        var services: [any Service] = [
            ReportIngestionService(controller: controller),
            KeyRotationSwitch(controller: controller),
            scheduleRefresh(of: controller, holder: holder),
            checkpointSigning(of: controller, holder: holder),
        ]
        if let lease = controller.eventsLease {
            services.append(eventIntake(lease, of: controller, holder: holder))
        }
        if let intake = controller.provinceIntake {
            services.append(provinceEmergencies(intake, of: controller, holder: holder))
        }
        if controller.mediaAccess.registry is DatabaseDeviceRegistry {
            services.append(DeviceRegistryRefresh(controller: controller))
        }
        if let relay = controller.relay {
            services.append(relayPulls(relay, of: controller, holder: holder))
        }
        if let settings = controller.configuration.provinceExport {
            services.append(provinceExport(of: controller, holder: holder, interval: .seconds(60 * (settings.everyMinutes ?? 15))))
        }
        return services
    }

    /// Takes the commune's `events` lease, so that one of its controllers takes in the
    /// devices' events (``EventsLease``): the holder renews it every 10 s for 30 s and
    /// takes events in for 20 s after each renewal, so it stops before another controller
    /// could take the lease over, and at once on a turn it finds it does not hold the
    /// lease (given up to another controller). A holder killed hands over within 40 s, as every job.
    static func eventIntake(_ lease: EventsLease, of controller: Controller, holder: String) -> LeasedJob {
        let renewal = Duration.seconds(10), leaseDuration: TimeInterval = 30
        return LeasedJob(
            name: "events", holder: holder, leases: controller.store, interval: renewal, renewal: renewal,
            leaseDuration: leaseDuration, clock: controller.clock, logger: controller.logger, notHeld: { lease.lost() }
        ) {
            lease.renewed(at: controller.clock(), for: leaseDuration - renewal.seconds)
        }
    }

    /// Pushes each completed day of the commune's export the province has not taken yet
    /// (`ProvinceExporter.deliverPending`); a refused or failed push is tried again next time.
    static func provinceExport(of controller: Controller, holder: String, interval: Duration) -> LeasedJob {
        LeasedJob(
            name: "province-export", holder: holder, leases: controller.store, interval: interval, clock: controller.clock,
            logger: controller.logger
        ) {
            try await controller.provinceExport.deliverPending()
        }
    }

    /// Starts and stops the pulls of relay windows (`RelayStation.reconcile`) every 2 s, on
    /// one controller of the commune: two would fight over each Icecast mount.
    static func relayPulls(_ relay: RelayStation, of controller: Controller, holder: String) -> LeasedJob {
        LeasedJob(
            name: "relay", holder: holder, leases: controller.store, interval: .seconds(2), clock: controller.clock,
            logger: controller.logger
        ) {
            try await relay.reconcile(now: controller.clock())
        }
    }

    /// Takes the province's approved emergencies for this commune into its schedule as
    /// soon as the province's notice arrives (PostgreSQL `NOTIFY` at the second approval),
    /// and every 5 s in case a notice was lost (the lease makes one controller of the commune do it).
    static func provinceEmergencies(
        _ intake: ProvinceEmergencyIntake, of controller: Controller, holder: String, interval: Duration = .seconds(5)
    ) -> LeasedJob {
        LeasedJob(
            name: "province-emergencies", holder: holder, leases: controller.store, interval: interval, clock: controller.clock,
            logger: controller.logger, wakeups: intake.notices()
        ) {
            try await intake.takeUp()
        }
    }

    /// Republishes every hamlet's schedule document every few hours, so the window
    /// moves on and no sealed document nears its expiry; the key announcement too,
    /// while a rotation is under way (the broker may have lost it). Not at once when the
    /// lease is taken on (every controller publishes every document when it starts, and
    /// a document is valid for 72 h): the leases moving between controllers would
    /// otherwise republish every document of the communes that move.
    static func scheduleRefresh(of controller: Controller, holder: String, interval: Duration = .seconds(6 * 3600)) -> LeasedJob {
        LeasedJob(
            name: "schedule-refresh", holder: holder, leases: controller.store, interval: interval, clock: controller.clock,
            logger: controller.logger, runsOnTakeOver: false
        ) {
            try await controller.keyRotation.publishKeyAnnouncement()
            try await controller.dispatcher.publishAllSchedules()
        }
    }

    /// Signs a checkpoint into the log's history every minute when the log grew, and
    /// publishes the latest one (retained) for auditors and receivers.
    static func checkpointSigning(of controller: Controller, holder: String, interval: Duration = .seconds(60)) -> LeasedJob {
        // The stored head, not this process's view of the log: another controller of the
        // commune may have appended since this one last did.
        // nil until the first signature (at start, whatever the log holds).
        let signedUnder = Mutex<String??>(nil)
        return LeasedJob(
            name: "checkpoint", holder: holder, leases: controller.store, interval: interval, clock: controller.clock,
            logger: controller.logger
        ) {
            let head = try await controller.store.latestCheckpoint()
            guard signedUnder.withLock({ $0 }) != .some(head) else { return }
            try await controller.checkpoints.publish()
            signedUnder.withLock { $0 = .some(head) }
        }
    }
}

/// Stores the receivers' events and states as they arrive.
struct ReportIngestionService: Service {
    let controller: Controller

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await controller.ingestion.run()
        }
    }
}

/// Reads the commune's device registry again every 10 s, where it is kept in the
/// province's database: a device added or revoked on another machine is known to
/// (or refused media by) every controller within that time. On the clock's grid, as
/// the leases (`LeasedJob.nextTurn`): the communes of a process read theirs together
/// (`PostgresCommuneRecords`: one statement).
struct DeviceRegistryRefresh: Service {
    let controller: Controller
    var interval: Duration = .seconds(10)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: LeasedJob.untilNextTurn(of: interval, now: Date()))
                do {
                    try await controller.mediaAccess.registry.refresh()
                } catch {
                    controller.logger.error("device registry not read again; keeping the last one", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// Completes a key rotation at its instant (`KeyRotation.rotateKey`): looks every
/// second, so a rotation scheduled by the API or found at start-up is not missed. Reads
/// what the other controllers of the commune kept (`ControllerKeyVault.refresh`) every
/// tenth of the least notice of a rotation, between 1 and 60 s, so each of them
/// knows of a rotation well before it takes over. Both on the clock's grid (as
/// `DeviceRegistryRefresh`), so the communes of a process read their keys together.
struct KeyRotationSwitch: Service {
    let controller: Controller
    var interval: Duration = .seconds(1)

    func run() async throws {
        let rotation = controller.keyRotation
        let refreshEvery = Int(min(60, max(1, rotation.minimumKeyNotice / 10)))
        try await cancelWhenGracefulShutdown {
            // The period of the grid (`refreshEvery` seconds) last read in; a failed read is tried again on the next turn.
            var readIn: Int?
            while !Task.isCancelled {
                do {
                    let period = Int(Date().timeIntervalSince1970.rounded()) / refreshEvery
                    if period != readIn {
                        try await rotation.keyVault.refresh(rotation.keys)
                        readIn = period
                    }
                    try await rotation.completeDueRotation()
                } catch {
                    controller.logger.error("key rotation not completed; retrying", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: LeasedJob.untilNextTurn(of: interval, now: Date()))
            }
        }
    }
}
