import Foundation

/// Reads the commune's schedule files (YAML, under `Schedules/`) into a `BroadcastSchedule`,
/// reporting every problem with file, line, column and field. See `docs/schedules.md`.
public enum ScheduleFiles {
    /// Reads and checks the files together: exactly one of them has the `site:` section;
    /// hamlets, groups and programmes may be spread across files. A directory stands for
    /// its `.yaml` and `.yml` files in name order.
    ///
    /// Audio paths are relative to the file that names them; each audio file is read,
    /// decoded to measure its duration and hashed (SHA-256) into a `MediaReference`.
    public static func load(_ paths: [String]) -> ScheduleLoadResult {
        let log = DiagnosticLog()
        var texts: [(name: String, text: String, directory: String)] = []
        let files = expand(paths, log: log)
        for path in files {
            let url = URL(fileURLWithPath: path)
            guard let data = FileManager.default.contents(atPath: path) else {
                log.error(
                    "file-unreadable", at: .start(of: path), field: "",
                    vi: "không mở được tệp \(url.standardizedFileURL.path); hãy kiểm tra đường dẫn và quyền đọc",
                    en: "cannot open \(url.standardizedFileURL.path); check the path and that it can be read")
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                let (position, byte) = firstInvalidUTF8(in: data, file: path)
                log.error(
                    "file-unreadable", at: position, field: "",
                    vi: "tệp không phải văn bản UTF-8: byte 0x\(byte) ở dòng \(position.line), cột \(position.column); hãy lưu lại tệp với bảng mã UTF-8",
                    en: "the file is not UTF-8 text: byte 0x\(byte) at line \(position.line), column \(position.column); save it again as UTF-8")
                continue
            }
            texts.append((path, text, url.deletingLastPathComponent().standardizedFileURL.path))
        }
        return ScheduleLoader(log: log).load(texts, order: files, allRead: texts.count == files.count)
    }

    /// Where the first byte that is not UTF-8 lies (line, and column counted in
    /// Unicode scalars before it, both from 1), and that byte in hex: an editor shows the place.
    static func firstInvalidUTF8(in data: Data, file: String) -> (SourcePosition, String) {
        var bytes = data.makeIterator()
        var decoder = UTF8()
        var valid = 0
        decoding: while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar): valid += UTF8.width(scalar)
            case .emptyInput, .error: break decoding
            }
        }
        let before = String(decoding: data.prefix(valid), as: UTF8.self)
        let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
        let byte = valid < data.count ? data[data.startIndex + valid] : 0
        return (
            SourcePosition(file: file, line: lines.count, column: (lines.last?.unicodeScalars.count ?? 0) + 1),
            String(byte, radix: 16, uppercase: true))
    }

    /// The same, from texts in memory (name → YAML text); audio paths are resolved against `baseDirectory`.
    /// - Parameter confinedTo: when given, audio and attachments outside this folder are
    ///   not read (reported missing): for texts from elsewhere, such as the HTTP API.
    public static func load(
        texts: [(name: String, text: String)], baseDirectory: String, confinedTo root: String? = nil
    ) -> ScheduleLoadResult {
        let log = DiagnosticLog()
        return ScheduleLoader(log: log, root: root).load(
            texts.map { ($0.name, $0.text, baseDirectory) }, order: texts.map(\.name), allRead: true)
    }

    /// Files as given (a path that does not exist is reported when read), directories
    /// replaced by their YAML files; no file at all is reported.
    private static func expand(_ paths: [String], log: DiagnosticLog) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let yaml = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            files += yaml.map { (path as NSString).appendingPathComponent($0) }
            if yaml.isEmpty {
                log.error(
                    "no-files", at: .start(of: path), field: "",
                    vi: "thư mục \(path) không có tệp lịch .yaml nào; hãy chỉ ra đúng thư mục, ví dụ Schedules/",
                    en: "the folder \(path) holds no .yaml schedule file; name the right folder, e.g. Schedules/")
            }
        }
        if paths.isEmpty {
            log.error(
                "no-files", at: .start(of: ""), field: "",
                vi: "chưa chỉ ra tệp lịch nào; hãy ghi tên tệp, ví dụ Schedules/*.yaml",
                en: "no schedule file given; name the files, e.g. Schedules/*.yaml")
        }
        return files
    }
}
