import Foundation
import LoaDomain

/// Reads a notice's `attachment:`: a PNG or JPEG image or a PDF, relative to the
/// schedule file, hashed (SHA-256) into a `MediaReference` for the boards.
struct NoticeAttachmentReader {
    /// The folder paths are relative to (the schedule file's folder).
    let baseDirectory: String
    /// Reads the files (and keeps them inside its root, when it has one).
    let files: AudioLibrary

    /// The attachment and its absolute path, or nil (reported) when it cannot be used.
    func read(_ value: YAMLValue) -> (attachment: NoticeAttachment, file: String)? {
        guard let path = value.text() else { return nil }
        let absolute = AudioLibrary.resolve(path, against: baseDirectory)
        let data: Data
        switch files.contents(of: absolute) {
        case .success(let read):
            data = read
        case .failure(.unreadable(let reason)):
            value.error(
                "attachment-unreadable", vi: "không mở được tệp đính kèm \(absolute) (\(reason)); hãy kiểm tra quyền đọc tệp",
                en: "cannot open the attachment \(absolute) (\(reason)); check that it can be read")
            return nil
        case .failure:
            value.error(
                "attachment-missing",
                vi: "không tìm thấy tệp đính kèm '\(path)' (đã tìm ở \(absolute)); đường dẫn tính từ thư mục chứa tệp lịch (\(baseDirectory)); hãy kiểm tra tên tệp và thư mục",
                en: "the attachment '\(path)' was not found (looked for \(absolute)); paths are relative to the schedule file's folder (\(baseDirectory)); check the name and folder")
            return nil
        }
        guard let contentType = NoticeAttachmentFormat.contentType(of: data) else {
            value.error(
                "attachment-unsupported",
                vi: "tệp \(absolute) không phải ảnh PNG, JPEG hay tệp PDF nên bảng tin không hiển thị được; hãy xuất lại ở một trong ba dạng đó (ví dụ lưu văn bản Word thành PDF)",
                en: "\(absolute) is not a PNG or JPEG image or a PDF, so the boards cannot show it; export it as one of those (e.g. save the Word document as PDF)")
            return nil
        }
        if data.count > NoticeAttachmentFormat.maximumBytes {
            value.error(
                "attachment-too-large",
                vi: "tệp đính kèm \(absolute) dài \(data.count / 1024 / 1024) MB, quá 10 MB mà bảng tin tải được; hãy thu nhỏ ảnh hoặc tách tệp PDF",
                en: "the attachment \(absolute) is \(data.count / 1024 / 1024) MB, over the 10 MB a board fetches; shrink the image or split the PDF")
            return nil
        }
        let media = MediaReference(
            sha256: AudioLibrary.sha256(data), bytes: data.count, contentType: contentType, durationMs: 0)
        return (NoticeAttachment(path: path, media: media), absolute)
    }
}
