/// What a receiver plays when no stream of a relay plays: a notice read by text-to-speech,
/// carried as the relay item's `media`.
enum RelayStandBy {
    static let notice = "Chương trình tiếp sóng tạm thời bị gián đoạn. Xin quý vị thông cảm và chờ trong giây lát."
}
