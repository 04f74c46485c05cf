import LoaSpeech
import Testing

@Suite("Reading whole numbers in Vietnamese")
struct VietnameseNumberTests {
    @Test("units, tens and hundreds: mốt, lăm, linh, mười, mươi", arguments: [
        (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"), (14, "mười bốn"),
        (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi bốn"), (25, "hai mươi lăm"),
        (55, "năm mươi lăm"), (90, "chín mươi"), (99, "chín mươi chín"), (100, "một trăm"), (101, "một trăm linh một"),
        (105, "một trăm linh năm"), (110, "một trăm mười"), (111, "một trăm mười một"), (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"), (999, "chín trăm chín mươi chín"),
    ] as [(UInt64, String)])
    func belowAThousand(number: UInt64, words: String) {
        #expect(VietnameseNumber.words(number) == words)
    }

    @Test("nghìn, triệu, tỷ, with 'không trăm' inside and zero groups left out", arguments: [
        (1000, "một nghìn"), (1001, "một nghìn không trăm linh một"), (1010, "một nghìn không trăm mười"),
        (1100, "một nghìn một trăm"), (2026, "hai nghìn không trăm hai mươi sáu"), (2000, "hai nghìn"),
        (10_000, "mười nghìn"), (15_000, "mười lăm nghìn"), (21_000, "hai mươi mốt nghìn"), (100_000, "một trăm nghìn"),
        (1_000_000, "một triệu"), (1_050_000, "một triệu không trăm năm mươi nghìn"),
        (1_250_000, "một triệu hai trăm năm mươi nghìn"), (1_000_500, "một triệu năm trăm"),
        (2_000_050, "hai triệu không trăm năm mươi"), (1_005_000, "một triệu không trăm linh năm nghìn"),
        (1_000_000_000, "một tỷ"), (1_500_000_000, "một tỷ năm trăm triệu"),
        (1_050_000_000, "một tỷ không trăm năm mươi triệu"), (1_000_000_005, "một tỷ không trăm linh năm"),
        (1_000_000_000_000, "một nghìn tỷ"), (25_300_000_000, "hai mươi lăm tỷ ba trăm triệu"),
    ] as [(UInt64, String)])
    func largeNumbers(number: UInt64, words: String) {
        #expect(VietnameseNumber.words(number) == words)
    }

    @Test("digits as written: leading zeros ignored; anything else refused")
    func writtenDigits() {
        #expect(VietnameseNumber.words(digits: "007") == "bảy")
        #expect(VietnameseNumber.words(digits: "000") == "không")
        #expect(VietnameseNumber.words(digits: "12a") == nil)
        #expect(VietnameseNumber.words(digits: "") == nil)
        #expect(VietnameseNumber.words(digits: String(repeating: "9", count: 25)) == nil)
        #expect(VietnameseNumber.digitByDigit("0912") == "không chín một hai")
    }
}
