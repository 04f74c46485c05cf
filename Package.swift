// swift-tools-version:6.2
// Loa: commune loudspeaker and notice-board network (controller and receiver).

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "loa",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "loa", targets: ["loa"]),
        .executable(name: "loa-bench", targets: ["loa-bench"]),
        // A hamlet device's own binary: the receiver alone (docs/receiver-devices.md).
        .executable(name: "loa-receiver", targets: ["loa-receiver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "4.5.2"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Already built for Hummingbird; named for NIOEmbedded, the channel the router tests hand requests on.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The province's store engine (PostgreSQL); the commune's default stays SQLite.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already built for postgres-nio; named for TLS to a PostgreSQL server on another host.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C libraries, each wrapped once by the Swift module above it.
        .systemLibrary(
            name: "CMosquitto", path: "Sources/CLibraries/CMosquitto",
            pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        .systemLibrary(
            name: "CALSA", path: "Sources/CLibraries/CALSA",
            pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(
            name: "CMPG123", path: "Sources/CLibraries/CMPG123",
            pkgConfig: "libmpg123", providers: [.apt(["libmpg123-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CLibraries/CSQLite",
            pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "COpenSSL", path: "Sources/CLibraries/COpenSSL",
            pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // Pure domain core: no I/O, no clock of its own.
        .target(name: "LoaDomain", swiftSettings: swiftSettings),
        // The wire contract: topics, messages, time formats.
        .target(
            name: "LoaProtocol",
            dependencies: [
                "LoaDomain", "LoaFiles", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // MQTT client over libmosquitto, used by both sides.
        .target(
            name: "LoaMQTT",
            dependencies: ["CMosquitto", "LoaThreads", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // One JSON object per log line (`--log-format json`), for the controller and receivers.
        .target(
            name: "LoaLogging",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // sd_notify's protocol: readiness and the watchdog under systemd (deploy/systemd).
        .target(name: "LoaSystemd", swiftSettings: swiftSettings),
        // Decoding (WAV, MP3) and ALSA playback at an instant.
        .target(name: "LoaAudio", dependencies: ["CALSA", "CMPG123", "LoaDomain", "LoaFiles", "LoaHTTP", "LoaThreads"], swiftSettings: swiftSettings),
        // Device provisioning: registry, Mosquitto password and ACL files, broker reload.
        // Replacing a file durably (temporary file, fsync, rename, fsync of the folder); spawned children: what they inherit, waiting for their end.
        .target(name: "LoaFiles", dependencies: ["LoaThreads"], swiftSettings: swiftSettings),
        // Threads of their own (POSIX, named) for work that blocks: ALSA, waitpid, mosquitto's loop.
        .target(name: "LoaThreads", swiftSettings: swiftSettings),
        // URLSession requests a cancelled task can stop without hanging (the controller's side).
        .target(name: "LoaURLSession", swiftSettings: swiftSettings),
        // A small HTTP/1.1 client (TLS through OpenSSL) and server over sockets: the receiver's, without URLSession or SwiftNIO.
        .target(name: "LoaHTTP", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        // SQLite's C API wrapped once: the receiver's outbox, without GRDB.
        .target(name: "LoaSQLite", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        .target(
            name: "LoaProvisioning",
            dependencies: ["LoaDomain", "LoaProtocol", "LoaFiles", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        // The transparency log: RFC 6962 Merkle tree, hash chain, signed checkpoints, verifier.
        .target(
            name: "LoaTransparency",
            dependencies: ["LoaProtocol", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        // Vietnamese text-to-speech: reading numbers, dates, times and abbreviations aloud; engines; a cache.
        .target(
            name: "LoaSpeech",
            dependencies: ["LoaAudio", "LoaFiles", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        // The store API the controller works through, and its SQLite engine (the commune's default).
        .target(
            name: "LoaStore",
            dependencies: ["LoaDomain", "LoaProtocol", "LoaTransparency", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        // The same store API on PostgreSQL: several controllers, many communes (docs/province.md).
        .target(
            name: "LoaPostgresStore",
            dependencies: [
                "LoaStore", "LoaDomain", "LoaProtocol", "LoaTransparency",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // Schedule files (YAML under Schedules/): reading, checking with file:line:column, audio measured.
        .target(
            name: "LoaScheduleFiles",
            dependencies: [
                "LoaDomain", "LoaAudio", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // Log listings and broadcast reports computed from the log's entries (no I/O).
        .target(
            name: "LoaReports",
            dependencies: ["LoaDomain", "LoaProtocol", "LoaTransparency"],
            swiftSettings: swiftSettings),
        .target(
            name: "LoaController",
            dependencies: [
                "LoaDomain", "LoaProtocol", "LoaMQTT", "LoaStore", "LoaPostgresStore", "LoaAudio", "LoaTransparency",
                "LoaProvisioning", "LoaSpeech", "LoaReports", "LoaScheduleFiles", "LoaFiles", "LoaURLSession",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // The API's OpenAPI document, compiled into the binary (served at /api/openapi.yaml).
            resources: [.embedInCode("HTTP/OpenAPI/openapi.yaml")],
            swiftSettings: swiftSettings),
        .target(
            name: "LoaReceiver",
            dependencies: [
                "LoaDomain", "LoaProtocol", "LoaMQTT", "LoaAudio", "LoaFiles", "LoaHTTP", "LoaSQLite",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The receiver as a process (settings file, log format, signals, systemd), for
        // `loa-receiver` and `loa receiver`.
        .target(
            name: "LoaReceiverProcess",
            dependencies: [
                "LoaReceiver", "LoaProtocol", "LoaLogging", "LoaSystemd",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "loa-receiver",
            dependencies: ["LoaReceiverProcess"],
            swiftSettings: swiftSettings),
        // The officer's web console: server-rendered pages on the controller's router.
        .target(
            name: "LoaConsole",
            dependencies: [
                "LoaController", "LoaDomain", "LoaProtocol", "LoaProvisioning", "LoaStore", "LoaReports",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "loa",
            dependencies: [
                "LoaDomain", "LoaProtocol", "LoaController", "LoaConsole", "LoaReceiver", "LoaReceiverProcess", "LoaSystemd", "LoaStore",
                "LoaPostgresStore", "LoaAudio",
                "LoaTransparency",
                "LoaProvisioning", "LoaReports", "LoaScheduleFiles", "LoaLogging", "LoaFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),

        // Benchmarks: prints figures; run with `swift run -c release loa-bench …`.
        .executableTarget(
            name: "loa-bench",
            dependencies: [
                "LoaHarness", "LoaProtocol", "LoaController", "LoaStore", "LoaPostgresStore", "LoaDomain", "LoaTransparency", "LoaSpeech",
                "LoaAudio", "LoaReceiver", "LoaHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Reads the communes' SQLite files in `province --engine sqlite` (already built for LoaStore).
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),

        // Real parts started on this machine, for the tests and the benchmarks: Mosquitto on
        // a free loopback port, a controller in-process, receivers with ALSA file PCMs,
        // temporary folders, child processes, test clocks.
        .target(
            name: "LoaHarness",
            dependencies: [
                "LoaAudio", "LoaController", "LoaConsole", "LoaReceiver", "LoaStore", "LoaPostgresStore", "LoaProtocol", "LoaDomain",
                "LoaMQTT", "LoaFiles", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                // Stops in-process servers gracefully, as SIGTERM does (GracefullyStoppedTask).
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "LoaDomainTests", dependencies: ["LoaDomain"], swiftSettings: swiftSettings),
        .testTarget(name: "LoaFilesTests", dependencies: ["LoaFiles", "LoaHarness"], swiftSettings: swiftSettings),
        .testTarget(name: "LoaSystemdTests", dependencies: ["LoaSystemd", "LoaHarness"], swiftSettings: swiftSettings),
        .testTarget(name: "LoaProtocolTests", dependencies: ["LoaProtocol", "LoaHarness"], swiftSettings: swiftSettings),
        .testTarget(name: "LoaTransparencyTests", dependencies: ["LoaTransparency", "LoaProtocol"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LoaStoreTests",
            dependencies: [
                "LoaStore", "LoaPostgresStore", "LoaProtocol", "LoaTransparency", "LoaHarness", "LoaReports", "LoaDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                // Tampering tests change the rows as a forger would, with plain SQL.
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LoaScheduleFilesTests", dependencies: ["LoaScheduleFiles", "LoaDomain", "LoaHarness"],
            swiftSettings: swiftSettings),
        .testTarget(name: "LoaSpeechTests", dependencies: ["LoaSpeech", "LoaAudio", "LoaHarness"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LoaHTTPTests",
            dependencies: ["LoaHTTP", "LoaHarness", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings),
        .testTarget(name: "LoaMQTTTests", dependencies: ["LoaMQTT", "LoaHarness"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LoaAudioTests", dependencies: ["LoaAudio", "LoaFiles", "LoaHarness"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "LoaProvisioningTests", dependencies: ["LoaProvisioning", "LoaFiles", "LoaHarness", "LoaMQTT"], swiftSettings: swiftSettings),
        // The controller's use cases through its router, on an in-memory broker link: no network.
        .testTarget(
            name: "LoaControllerTests",
            dependencies: [
                "LoaController", "LoaHarness", "LoaProtocol", "LoaDomain", "LoaStore", "LoaPostgresStore", "LoaTransparency", "LoaMQTT",
                "LoaProvisioning", "LoaReports", .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings),
        // The receiver's rules on a test clock, in-memory broker and virtual speaker: milliseconds an airing.
        .testTarget(
            name: "LoaReceiverTests",
            dependencies: [
                "LoaReceiver", "LoaReceiverProcess", "LoaLogging", "LoaHTTP", "LoaHarness", "LoaProtocol", "LoaDomain", "LoaAudio", "LoaMQTT",
                // Writes an outbox as receivers before LoaSQLite did, to open it as today's.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LoaEndToEndTests",
            dependencies: [
                "LoaController", "LoaReceiver", "LoaStore", "LoaProtocol", "LoaMQTT", "LoaAudio", "LoaHarness", "LoaTransparency",
                "LoaScheduleFiles", "LoaReports", "LoaDomain", "LoaSpeech", "LoaLogging", "LoaProvisioning", "LoaFiles",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
    ]
)
