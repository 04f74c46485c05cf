/// Abbreviations common in commune notices and what a reader says for them.
///
/// Matched as whole words and case-sensitively (UBND, not "ubnd" inside a word).
/// Left out on purpose: abbreviations with two common meanings (TT: thị trấn or
/// thông tư; ĐT: điện thoại or đào tạo) and letters that are also words (ha).
public enum NoticeAbbreviations {
    /// Abbreviation → words, the table `docs/speech.md` lists.
    public static let table: [String: String] = [
        // Bodies and offices
        "UBND": "ủy ban nhân dân",
        "HĐND": "hội đồng nhân dân",
        "MTTQ": "mặt trận tổ quốc",
        "UBMTTQ": "ủy ban mặt trận tổ quốc",
        "MTTQVN": "mặt trận tổ quốc Việt Nam",
        "BCH": "ban chỉ huy",
        "BCĐ": "ban chỉ đạo",
        "HTX": "hợp tác xã",
        "CA": "công an",
        "CSGT": "cảnh sát giao thông",
        "TW": "trung ương",
        "TƯ": "trung ương",
        "LĐTBXH": "lao động thương binh và xã hội",
        "TNMT": "tài nguyên và môi trường",
        "VHTT": "văn hóa thông tin",
        "GD-ĐT": "giáo dục và đào tạo",
        "GDĐT": "giáo dục và đào tạo",
        // Places
        "TP": "thành phố",
        "Tp": "thành phố",
        "TX": "thị xã",
        "HCM": "Hồ Chí Minh",
        // Documents and people
        "QĐ": "quyết định",
        "NĐ-CP": "nghị định chính phủ",
        "NĐ": "nghị định",
        "CP": "chính phủ",
        "Đ/c": "đồng chí",
        "đ/c": "đồng chí",
        "CCCD": "căn cước công dân",
        "CMND": "chứng minh nhân dân",
        "SĐT": "số điện thoại",
        "STT": "số thứ tự",
        "ĐVT": "đơn vị tính",
        "v.v.": "vân vân",
        "v.v": "vân vân",
        // Insurance, schools, programmes
        "BHYT": "bảo hiểm y tế",
        "BHXH": "bảo hiểm xã hội",
        "BHTN": "bảo hiểm thất nghiệp",
        "THCS": "trung học cơ sở",
        "THPT": "trung học phổ thông",
        "NTM": "nông thôn mới",
        "KT-XH": "kinh tế xã hội",
        "VH-XH": "văn hóa xã hội",
        // Safety
        "PCCC": "phòng cháy chữa cháy",
        "PCTT": "phòng chống thiên tai",
        "TKCN": "tìm kiếm cứu nạn",
        "PCTT-TKCN": "phòng chống thiên tai và tìm kiếm cứu nạn",
        "ATGT": "an toàn giao thông",
        "ATTP": "an toàn thực phẩm",
        "GPMB": "giải phóng mặt bằng",
        // Units written without a number before them ("giá mỗi m2")
        "km": "ki lô mét",
        "kg": "ki lô gam",
        "m2": "mét vuông",
        "m²": "mét vuông",
        "m3": "mét khối",
        "m³": "mét khối",
        "km2": "ki lô mét vuông",
        "km²": "ki lô mét vuông",
    ]

    /// Units read after a number ("5 km", "300m2", "2 ha").
    public static let units: [String: String] = [
        "km²": "ki lô mét vuông", "km2": "ki lô mét vuông", "m²": "mét vuông", "m2": "mét vuông",
        "m³": "mét khối", "m3": "mét khối", "km": "ki lô mét", "kg": "ki lô gam", "ha": "héc ta",
        "cm": "xăng ti mét", "mm": "mi li mét", "m": "mét", "tấn": "tấn", "lít": "lít", "l": "lít",
    ]
}
