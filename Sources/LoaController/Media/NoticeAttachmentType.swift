import Foundation
import LoaDomain

/// The controller's check of an uploaded notice attachment (`NoticeAttachmentFormat`).
enum NoticeAttachmentType {
    /// The largest body the upload route reads.
    static var maximumBytes: Int { NoticeAttachmentFormat.maximumBytes }

    /// Why `data` cannot be a notice attachment, Vietnamese first; nil when it can.
    static func problem(with data: Data) -> String? {
        if data.count > NoticeAttachmentFormat.maximumBytes {
            return "tệp đính kèm dài \(data.count) byte, quá 10 MB (the attachment is \(data.count) bytes, over 10 MB); "
                + "thu nhỏ ảnh hoặc tách tệp PDF (shrink the image or split the PDF)"
        }
        if NoticeAttachmentFormat.contentType(of: data) == nil {
            return "tệp đính kèm không phải ảnh PNG, JPEG hay tệp PDF (the attachment is not a PNG, JPEG or PDF file)"
        }
        return nil
    }
}
