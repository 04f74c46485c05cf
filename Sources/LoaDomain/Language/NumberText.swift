extension BinaryFloatingPoint {
    /// The value with `digits` decimals, as `String(format: "%.1f")` writes it for one
    /// (`12.34` → `"12.3"`), without swift-corelibs Foundation, which a receiver does not
    /// link. Two differences: a half goes up as a person rounds it (`0.15` → `"0.2"`,
    /// where `String(format:)` rounds the binary value just under it down to `"0.1"`),
    /// and never `"-0.0"`. Not finite, or beyond 10¹⁸: as Swift prints it.
    /// - Precondition: `digits` is 0 to 9.
    public func fixedDecimals(_ digits: Int) -> String {
        precondition((0...9).contains(digits), "fixedDecimals: 0 to 9 digits")
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (Double(self).magnitude * Double(scale)).rounded()
        guard isFinite, scaled < 1e18 else { return "\(Double(self))" }
        let units = Int(scaled)
        let sign = self < 0 && units > 0 ? "-" : ""
        let whole = sign + String(units / scale)
        return digits > 0 ? whole + "." + (units % scale).digits(width: digits) : whole
    }
}

extension FixedWidthInteger {
    /// The value's digits, zero-padded on the left to `width` characters (a minus sign
    /// counted): `7` as `"07"` for width 2, `0x55` as `"0055"` in radix 16 (upper case),
    /// as `String(format: "%02d")` and `"%04X"` write them, without swift-corelibs Foundation.
    public func digits(width: Int, radix: Int = 10) -> String {
        let sign = self < 0 ? "-" : ""
        let digits = String(self.magnitude, radix: radix, uppercase: true)
        return sign + String(repeating: "0", count: Swift.max(0, width - sign.count - digits.count)) + digits
    }
}
