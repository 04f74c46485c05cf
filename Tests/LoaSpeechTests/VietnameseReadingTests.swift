import Foundation
import LoaSpeech
import Testing

/// The words a notice is read with (TTS text normalisation cases).
@Suite("Reading a notice's text aloud")
struct VietnameseReadingTests {
    static let year2026 = "hai nghìn không trăm hai mươi sáu"

    @Test("money: dots group thousands; đ, VNĐ, đồng", arguments: [
        ("1.250.000 đồng", "một triệu hai trăm năm mươi nghìn đồng"),
        ("1.250.000đ", "một triệu hai trăm năm mươi nghìn đồng"),
        ("500.000 đ", "năm trăm nghìn đồng"),
        ("2.000.000 VNĐ", "hai triệu đồng"),
        ("2.000.000 VND.", "hai triệu đồng."),
        ("1,5 triệu đồng", "một phẩy năm triệu đồng"),
        ("Mức đóng 50.000 đồng/người/tháng", "Mức đóng năm mươi nghìn đồng một người một tháng"),
        ("1.250.000,50 đồng", "một triệu hai trăm năm mươi nghìn phẩy năm mươi đồng"),
        ("10.000", "mười nghìn"),
    ])
    func money(written: String, spoken: String) {
        #expect(VietnameseReading.spoken(written) == spoken)
    }

    @Test("decimals: comma is 'phẩy', a dot that does not group is 'chấm'", arguments: [
        ("2,5", "hai phẩy năm"), ("2,75", "hai phẩy bảy mươi lăm"), ("2,05", "hai phẩy không năm"),
        ("3,14159", "ba phẩy một bốn một năm chín"), ("12.5", "mười hai chấm năm"), ("0,5", "không phẩy năm"),
    ])
    func decimals(written: String, spoken: String) {
        #expect(VietnameseReading.spoken(written) == spoken)
    }

    @Test("times: 17h30, 17h, 17:30, 7 giờ 30", arguments: [
        ("17h30", "mười bảy giờ ba mươi phút"), ("17h", "mười bảy giờ"), ("17 h", "mười bảy giờ"),
        ("17:30", "mười bảy giờ ba mươi phút"), ("7 giờ 30", "bảy giờ ba mươi phút"),
        ("7 giờ 30 phút", "bảy giờ ba mươi phút"), ("lúc 7h05", "lúc bảy giờ năm phút"), ("17h00", "mười bảy giờ"),
        ("17:00", "mười bảy giờ"), ("07:05:30", "bảy giờ năm phút ba mươi giây"),
        ("từ 7h30 đến 11h", "từ bảy giờ ba mươi phút đến mười một giờ"), ("5 giờ sáng", "năm giờ sáng"),
    ])
    func times(written: String, spoken: String) {
        #expect(VietnameseReading.spoken(written) == spoken)
    }

    @Test("dates: 25/12/2026, 25/12, ngày 25/12, tháng 12/2026; April is 'tháng tư'", arguments: [
        ("25/12/2026", "ngày hai mươi lăm tháng mười hai năm \(year2026)"),
        ("ngày 25/12/2026", "ngày hai mươi lăm tháng mười hai năm \(year2026)"),
        ("Ngày 25/12/2026", "Ngày hai mươi lăm tháng mười hai năm \(year2026)"),
        ("25-12-2026", "ngày hai mươi lăm tháng mười hai năm \(year2026)"),
        ("25.12.2026", "ngày hai mươi lăm tháng mười hai năm \(year2026)"),
        ("25/12", "ngày hai mươi lăm tháng mười hai"),
        ("ngày 25/12", "ngày hai mươi lăm tháng mười hai"),
        ("ngày 1/4", "ngày một tháng tư"),
        ("tháng 12/2026", "tháng mười hai năm \(year2026)"),
        ("12/2026", "tháng mười hai năm \(year2026)"),
        ("Thứ 2, ngày 30/11/2026", "Thứ hai, ngày ba mươi tháng mười một năm \(year2026)"),
    ])
    func dates(written: String, spoken: String) {
        #expect(VietnameseReading.spoken(written) == spoken)
    }

    @Test("not a date: day or month out of range stays numbers")
    func notADate() {
        #expect(VietnameseReading.spoken("32/13") == "ba mươi hai/mười ba")
    }

    @Test("percentages, ordinals, ranges, units", arguments: [
        ("15%", "mười lăm phần trăm"), ("2,5%", "hai phẩy năm phần trăm"), ("100 %", "một trăm phần trăm"),
        ("thứ 4", "thứ tư"), ("lần thứ 1", "lần thứ nhất"), ("thứ 7", "thứ bảy"),
        ("5-7 ngày", "năm đến bảy ngày"),
        ("2021-2025", "hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
        ("5 km", "năm ki lô mét"), ("300m2", "ba trăm mét vuông"), ("2 ha", "hai héc ta"), ("50kg", "năm mươi ki lô gam"),
        ("12 m³", "mười hai mét khối"), ("giá mỗi m2", "giá mỗi mét vuông"),
    ])
    func amounts(written: String, spoken: String) {
        #expect(VietnameseReading.spoken(written) == spoken)
    }

    @Test("phone numbers digit by digit, in the groups written or the usual ones", arguments: [
        ("0912345678", "không chín một hai, ba bốn năm, sáu bảy tám"),
        ("0912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
        ("0912.345.678", "không chín một hai, ba bốn năm, sáu bảy tám"),
        ("024 3825 1234", "không hai bốn, ba tám hai năm, một hai ba bốn"),
        ("02438251234", "không hai bốn, ba tám hai năm, một hai ba bốn"),
        ("+84 912 345 678", "cộng tám tư, chín một hai, ba bốn năm, sáu bảy tám"),
        ("gọi 0912345678 15 lần", "gọi không chín một hai, ba bốn năm, sáu bảy tám mười lăm lần"),
    ])
    func phoneNumbers(written: String, spoken: String) {
        #expect(VietnameseReading.spoken(written) == spoken)
    }

    @Test("abbreviations of commune notices, whole words only", arguments: [
        ("UBND xã", "ủy ban nhân dân xã"), ("HĐND", "hội đồng nhân dân"), ("MTTQ", "mặt trận tổ quốc"),
        ("thẻ BHYT", "thẻ bảo hiểm y tế"), ("BHXH tự nguyện", "bảo hiểm xã hội tự nguyện"),
        ("trường THCS", "trường trung học cơ sở"), ("TP Hà Nội", "thành phố Hà Nội"),
        ("Đ/c Chủ tịch", "đồng chí Chủ tịch"), ("công tác PCCC", "công tác phòng cháy chữa cháy"),
        ("Quyết định số 15/QĐ-UBND", "Quyết định số mười lăm/quyết định-ủy ban nhân dân"),
        ("UBNDX", "UBNDX"), ("An & Bình", "An và Bình"),
    ])
    func abbreviations(written: String, spoken: String) {
        #expect(VietnameseReading.spoken(written) == spoken)
    }

    @Test("a whole notice reads as a person would")
    func wholeNotice() {
        let notice = "UBND xã thông báo: từ 7h30 ngày 25/12/2026, các hộ nộp 1.250.000 đồng/hộ tại nhà văn hóa thôn. Liên hệ 0912 345 678."
        #expect(VietnameseReading.spoken(notice) == "ủy ban nhân dân xã thông báo: từ bảy giờ ba mươi phút ngày hai mươi lăm tháng mười hai năm "
            + "\(Self.year2026), các hộ nộp một triệu hai trăm năm mươi nghìn đồng một hộ tại nhà văn hóa thôn. "
            + "Liên hệ không chín một hai, ba bốn năm, sáu bảy tám.")
    }

    @Test("text without numbers stays as written, in NFC, spaces collapsed")
    func plainText() {
        #expect(VietnameseReading.spoken("Xin chào  bà con.\n") == "Xin chào bà con.")
        let decomposed = "Thông báo".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count != "Thông báo".unicodeScalars.count)
        #expect(VietnameseReading.spoken(decomposed).unicodeScalars.elementsEqual("Thông báo".precomposedStringWithCanonicalMapping.unicodeScalars))
    }
}
