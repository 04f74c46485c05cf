import ArgumentParser
import Foundation
import LoaController
import LoaDomain
#if canImport(Glibc)
import Glibc
#endif

/// `loa live`: a leader speaks live to chosen hamlets from the commune's PC. The
/// microphone is read through ALSA by ffmpeg (mono MP3, 48 kbit/s) and sent to the
/// controller as it comes, until Ctrl-C or `--seconds`.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Phát trực tiếp từ micro tới các thôn (speak live to hamlets from the microphone, docs/relay.md).")

    @Option(help: "Controller settings file (gives the address; the token file must then be the speaker's)")
    var config: String?
    @Option(help: "Controller address, e.g. http://192.168.1.10:8080")
    var controller: String?
    @Option(help: "File with the speaking leader's API token (a user with the approver role)")
    var tokenFile: String?
    @Option(help: "Title, as the log and reports show it") var title: String
    @Option(help: "Hamlet ids, comma-separated") var hamlets: String
    @Option(help: "normal, priority (default) or emergency (a second leader must approve)") var priority = "priority"
    @Option(help: "Longest the session may last, minutes (1–60)") var maxMinutes = 10
    @Option(help: "ALSA capture device of the microphone") var device = "default"
    @Option(help: "An ALSA configuration file to read instead of the system's (ALSA_CONFIG_PATH)") var alsaConfig: String?
    @Option(help: "Stop after this many seconds (default: at Ctrl-C or the longest)") var seconds: Int?
    @Option(help: "The ffmpeg executable") var ffmpeg = "/usr/bin/ffmpeg"

    func run() async throws {
        guard let priority = PriorityClass(rawValue: priority) else {
            throw ValidationError("--priority '\(priority)': give normal, priority or emergency")
        }
        let client = try ControllerClient(configPath: config, controllerURL: controller, tokenFile: tokenFile)
        let request = LiveDesk.Request(
            title: title, hamlets: hamlets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, priority: priority,
            maxMinutes: maxMinutes)
        let session = try await client.post("live", json: request, as: LiveDesk.Session.self)
        print("Phiên trực tiếp (live session) \(session.id): từ (from) \(session.startsAt.formatted(.iso8601)) tới tối đa (until at most) \(session.endsAt.formatted(.iso8601))")
        if !session.approved { print("Chờ lãnh đạo thứ hai duyệt (waiting for a second leader's approval)…") }

        let capture = Process()
        capture.executableURL = URL(fileURLWithPath: ffmpeg)
        let limit = seconds.map { min($0, maxMinutes * 60) } ?? maxMinutes * 60
        capture.arguments = [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "alsa", "-i", device, "-t", "\(limit)",
            "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "48k", "-flush_packets", "1", "-f", "mp3", "-",
        ]
        if let alsaConfig {
            var environment = ProcessInfo.processInfo.environment
            environment["ALSA_CONFIG_PATH"] = alsaConfig
            capture.environment = environment
        }
        let output = Pipe()
        capture.standardOutput = output
        capture.standardInput = FileHandle.nullDevice
        try capture.run()
        // Ctrl-C ends the session: ffmpeg stops, the upload ends, the controller withdraws it.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT)
        interrupt.setEventHandler { kill(capture.processIdentifier, SIGKILL) }
        interrupt.resume()
        print("Đang phát: nói vào micro; Ctrl-C để kết thúc (on air: speak; Ctrl-C to end)")
        let upload = try ChunkedUpload(
            url: client.baseURL.appendingPathComponent("api/v1").appendingPathComponent(session.audioPath.replacingOccurrences(of: "/api/v1/", with: "")),
            token: client.token, contentType: "audio/mpeg")
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            try upload.send(chunk)
        }
        capture.waitUntilExit()
        let answer = try upload.finish()
        print("Đã kết thúc (ended): \(answer)")
    }
}

/// An HTTP/1.1 request whose body is sent as it is made (`Transfer-Encoding: chunked`),
/// over a plain socket to the controller.
struct ChunkedUpload {
    private let socket: Int32

    init(url: URL, token: String, contentType: String) throws {
        guard url.scheme == "http", let host = url.host else {
            throw ValidationError("\(url): live audio goes to the controller over http:// (put TLS in front of both ends' network)")
        }
        let port = url.port ?? 80
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let address = found else { throw ValidationError("\(host) does not resolve") }
        defer { freeaddrinfo(found) }
        socket = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard socket >= 0, connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            throw ValidationError("cannot reach the controller at \(host):\(port): \(String(cString: strerror(errno)))")
        }
        try write(Data((
            "PUT \(url.path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAuthorization: Bearer \(token)\r\nContent-Type: \(contentType)\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").utf8))
    }

    /// Sends one chunk of the body.
    func send(_ chunk: Data) throws {
        try write(Data("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Data("\r\n".utf8))
    }

    /// Ends the body and returns the answer's status line and body.
    func finish() throws -> String {
        try write(Data("0\r\n\r\n".utf8))
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(socket, &buffer, buffer.count, 0)
            if n <= 0 { break }
            answer.append(contentsOf: buffer[0..<n])
        }
        close(socket)
        let text = String(decoding: answer, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 2") else {
            throw ValidationError("the controller refused the live audio: \(text.split(separator: "\r\n").first ?? "no answer") \(text.components(separatedBy: "\r\n\r\n").last ?? "")")
        }
        return text.components(separatedBy: "\r\n\r\n").last ?? ""
    }

    private func write(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw ValidationError("the connection to the controller broke: \(String(cString: strerror(errno)))") }
                sent += n
            }
        }
    }
}
