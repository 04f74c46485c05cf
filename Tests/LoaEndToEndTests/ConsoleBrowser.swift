import Foundation
import LoaFiles
import LoaHarness
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Debian's headless Chromium driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: it reads commands on fd 3, writes answers on fd 4,
/// each message ended by a NUL byte): navigate, run a line of JavaScript, type into
/// a file input, take a full-page screenshot. One page, one browser profile, so
/// cookies carry from page to page as for a person.
final class ConsoleBrowser: Sendable {
    private let pid: Int32
    private let commands: Int32
    private let answers: Int32
    private let home: TemporaryDirectory
    private let pending = Mutex<[Int: CheckedContinuation<Data, any Error>]>([:])
    private let nextID = Mutex(0)
    private let session = Mutex<String?>(nil)
    /// What Chromium printed, for failures.
    let logFile: String

    /// Starts Chromium with a fresh profile and opens one page.
    init(width: Int = 1440, height: Int = 1000) async throws {
        home = try TemporaryDirectory(prefix: "loa-console-browser")
        logFile = home.path("chromium.txt").path
        var toBrowser: [Int32] = [0, 0]
        var fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw BoardTestError("pipe() failed") }
        // Close-on-exec: other tests' children must not inherit this browser's pipes (dup2 clears it for Chromium's 3 and 4).
        for fd in toBrowser + fromBrowser { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        SpawnedChildDescriptors.closeAll(from: 5, in: &actions)
        let arguments = [
            Chromium.path, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),\(height)",
            "--no-first-run", "--disable-dev-shm-usage", "--mute-audio", "--remote-debugging-pipe", "--lang=vi",
            "--user-data-dir=\(home.path("profile").path)", "about:blank",
        ]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = Chromium.environment(home: home).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, Chromium.path, &actions, nil, argv, env)
        Glibc.close(toBrowser[0])
        Glibc.close(fromBrowser[1])
        guard rc == 0 else { throw BoardTestError("cannot start \(Chromium.path): \(String(cString: strerror(rc)))") }
        self.pid = pid
        commands = toBrowser[1]
        answers = fromBrowser[0]
        startReading()
        let target = try await send("Target.createTarget", ["url": "about:blank"], onPage: false)
        let targetID = try Self.string(target, "targetId")
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true], onPage: false)
        session.withLock { $0 = try? Self.string(attached, "sessionId") }
        _ = try await send("Page.enable")
    }

    /// Shows pages as a screen `width`×`height` CSS pixels would: a phone's (`mobile`:
    /// the page's viewport meta tag applies, as on a phone) or a laptop's.
    func emulate(width: Int, height: Int, mobile: Bool) async throws {
        _ = try await send("Emulation.setDeviceMetricsOverride", [
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
        ])
    }

    /// How much wider than the screen the page is, in CSS pixels (0 when nothing scrolls sideways).
    func overflowWidth() async throws -> Int {
        try await evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth") as? Int ?? -1
    }

    /// Goes to `url` and waits until the page (after any redirects) has loaded.
    func open(_ url: URL) async throws {
        _ = try await send("Page.navigate", ["url": url.absoluteString])
        try await waitForLoad()
    }

    /// Waits until the document is complete; after a click that navigates, pass the
    /// path the page leaves so a stale `complete` does not count.
    func waitForLoad(leaving previous: String? = nil) async throws {
        try await waitUntil("the page to load") {
            let state = try await self.evaluate("document.readyState + ' ' + location.href") as? String ?? ""
            return state.hasPrefix("complete ") && (previous.map { !state.hasSuffix(" \($0)") } ?? true)
        }
    }

    /// The page's address.
    func location() async throws -> URL {
        URL(string: try await evaluate("location.href") as? String ?? "")!
    }

    /// Runs `expression` in the page (promises awaited) and returns its JSON value.
    @discardableResult
    func evaluate(_ expression: String) async throws -> Any? {
        let answer = try await send(
            "Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true])
        if let exception = answer["exceptionDetails"] {
            throw BoardTestError("the page threw on `\(expression)`: \(exception)")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    /// Clicks the element `selector` names and waits for the page it leads to.
    func click(_ selector: String, navigates: Bool = true) async throws {
        let before = try await location().absoluteString
        let found = try await evaluate("(() => { const e = document.querySelector(\(Self.quoted(selector))); if (!e) return false; e.click(); return true })()") as? Bool
        guard found == true else { throw BoardTestError("no element \(selector) on \(before)") }
        if navigates { try await waitForLoad(leaving: before) }
    }

    /// Sets the value of the field `selector` names.
    func fill(_ selector: String, _ value: String) async throws {
        let done = try await evaluate("(() => { const e = document.querySelector(\(Self.quoted(selector))); if (!e) return false; e.value = \(Self.quoted(value)); e.dispatchEvent(new Event('input')); return true })()") as? Bool
        guard done == true else { throw BoardTestError("no field \(selector)") }
    }

    /// Ticks or chooses the checkbox or radio button `selector` names.
    func check(_ selector: String) async throws {
        let done = try await evaluate("(() => { const e = document.querySelector(\(Self.quoted(selector))); if (!e) return false; e.checked = true; e.dispatchEvent(new Event('change')); return true })()") as? Bool
        guard done == true else { throw BoardTestError("no checkbox \(selector)") }
    }

    /// Chooses `file` in the file input `selector` names, as a person would (its `change` handler runs).
    func choose(file: URL, in selector: String) async throws {
        let document = try await send("DOM.getDocument", ["depth": 0])
        let root = try Self.int((document["root"] as? [String: Any]) ?? [:], "nodeId")
        let node = try Self.int(try await send("DOM.querySelector", ["nodeId": root, "selector": selector]), "nodeId")
        _ = try await send("DOM.setFileInputFiles", ["files": [file.path], "nodeId": node])
    }

    /// The page's visible text.
    func text() async throws -> String { try await evaluate("document.body.innerText") as? String ?? "" }

    /// Polls `condition` every 200 ms until it holds; fails after `timeout` with `what`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return }
            guard ContinuousClock.now < deadline else {
                throw BoardTestError("waited \(timeout) for \(what); page: \((try? await location())?.absoluteString ?? "?")")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// A PNG of the whole page (not only the window) saved at `file`.
    func screenshot(to file: URL) async throws {
        let metrics = try await send("Page.getLayoutMetrics")
        let size = (metrics["cssContentSize"] as? [String: Any]) ?? [:]
        let width = (size["width"] as? Double) ?? 1440
        let height = min((size["height"] as? Double) ?? 1000, 8000)
        let shot = try await send("Page.captureScreenshot", [
            "format": "png", "captureBeyondViewport": true,
            "clip": ["x": 0, "y": 0, "width": width, "height": height, "scale": 1],
        ])
        guard let data = Data(base64Encoded: try Self.string(shot, "data")) else { throw BoardTestError("no PNG in the screenshot") }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    /// Ends Chromium and removes its profile.
    func close() {
        ChildProcess.stop(pid)
        Glibc.close(commands)
        home.remove()
    }

    // MARK: The protocol

    private func send(_ method: String, _ params: [String: Any] = [:], onPage: Bool = true) async throws -> [String: Any] {
        let id = nextID.withLock { $0 += 1; return $0 }
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if onPage, let session = session.withLock({ $0 }) { message["sessionId"] = session }
        var bytes = try JSONSerialization.data(withJSONObject: message)
        bytes.append(0)
        let watchdog = Task { [self] in
            try await Task.sleep(for: .seconds(60))
            pending.withLock { $0.removeValue(forKey: id) }?.resume(throwing: BoardTestError("chromium did not answer \(method) within 60 s"))
        }
        defer { watchdog.cancel() }
        let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            pending.withLock { $0[id] = continuation }
            let written = bytes.withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            if written != bytes.count {
                pending.withLock { $0.removeValue(forKey: id) }?.resume(throwing: BoardTestError("cannot write to chromium"))
            }
        }
        let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any] ?? [:]
        if let error = object["error"] { throw BoardTestError("\(method) failed: \(error)") }
        return object["result"] as? [String: Any] ?? [:]
    }

    /// Reads answers on a thread of its own (a blocking read must not hold a task thread).
    private func startReading() {
        let fd = answers
        let thread = Thread { [self] in
            var buffer = Data()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = read(fd, &chunk, chunk.count)
                guard count > 0 else { break }
                buffer.append(contentsOf: chunk[0..<count])
                while let end = buffer.firstIndex(of: 0) {
                    let message = buffer[buffer.startIndex..<end]
                    buffer = Data(buffer[(end + 1)...])
                    guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any],
                        let id = object["id"] as? Int
                    else { continue }
                    pending.withLock { $0.removeValue(forKey: id) }?.resume(returning: Data(message))
                }
            }
            Glibc.close(fd)
            for continuation in pending.withLock({ table in defer { table.removeAll() }; return Array(table.values) }) {
                continuation.resume(throwing: BoardTestError("chromium closed the DevTools pipe"))
            }
        }
        thread.start()
    }

    private static func string(_ object: [String: Any], _ key: String) throws -> String {
        guard let value = object[key] as? String else { throw BoardTestError("no \(key) in \(object)") }
        return value
    }

    private static func int(_ object: [String: Any], _ key: String) throws -> Int {
        guard let value = object[key] as? Int else { throw BoardTestError("no \(key) in \(object)") }
        return value
    }

    /// `text` as a JavaScript string literal.
    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }
}

extension ConsoleBrowser {
    /// The sizes every console page is checked at: a laptop and a phone.
    static let sizes: [(name: String, width: Int, height: Int, mobile: Bool)] = [
        ("laptop", 1366, 768, false), ("phone", 390, 844, true),
    ]

    /// Opens `url` at every size, runs `then`, expects nothing to scroll sideways, and
    /// keeps a screenshot as `.test-artifacts/screenshots/layout-{name}-{size}.png`.
    /// - Returns: the page's text at the last size.
    func visitAtEverySize(_ name: String, _ url: URL, then: (() async throws -> Void)? = nil) async throws -> String {
        var text = ""
        for size in Self.sizes {
            try await emulate(width: size.width, height: size.height, mobile: size.mobile)
            try await open(url)
            try await then?()
            let overflow = try await overflowWidth()
            #expect(overflow == 0, "\(name) at \(size.width) px is \(overflow) px too wide")
            try await screenshot(to: TestArtifacts.screenshots.appendingPathComponent("layout-\(name)-\(size.name).png"))
            text = try await self.text()
        }
        return text
    }
}
