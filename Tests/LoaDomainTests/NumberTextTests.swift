import Foundation
import LoaDomain
import Testing

/// Numbers in a receiver's messages, written without swift-corelibs Foundation: the
/// same text as `String(format:)`, which the controller's side of the same messages used.
@Suite("Numbers as text")
struct NumberTextTests {
    @Test("one decimal, as String(format: \"%.1f\") writes it", arguments: [
        0, 0.04, 0.06, 0.9, 0.96, 12.34, 59.96, 179.94, 180, 3599.999, 12_345.678, -2.5, -12.34,
    ])
    func oneDecimal(value: Double) {
        #expect(value.fixedDecimals(1) == String(format: "%.1f", value))
    }

    @Test("other counts of decimals")
    func otherCounts() {
        for value in [0.0, 0.3, 1.7, 2.24, 2.6749, 1234.5678, 99.999, 86_400] {
            for digits in 0...3 {
                #expect(value.fixedDecimals(digits) == String(format: "%.\(digits)f", value), "\(value), \(digits) digits")
            }
        }
    }

    @Test("a half goes up; never minus zero; not a finite number as Swift prints it")
    func edges() {
        #expect(0.15.fixedDecimals(1) == "0.2")
        #expect(0.25.fixedDecimals(1) == "0.3")
        #expect(179.95.fixedDecimals(1) == "180.0")
        #expect(2.5.fixedDecimals(0) == "3")
        #expect((-1.25).fixedDecimals(1) == "-1.3")
        #expect((-0.04).fixedDecimals(1) == "0.0")
        #expect(Double.nan.fixedDecimals(1) == "nan")
        #expect(Double.infinity.fixedDecimals(1) == "inf")
        #expect(1e19.fixedDecimals(1) == "1e+19")
        #expect(Float(2.2).fixedDecimals(1) == "2.2")
    }

    @Test("zero-padded digits, as %02d and %04X write them")
    func padded() {
        for value in [0, 7, 9, 10, 59, 123, -5, -42] {
            #expect(value.digits(width: 2) == String(format: "%02d", value), "\(value)")
            #expect(value.digits(width: 4) == String(format: "%04d", value), "\(value)")
        }
        for tag: UInt16 in [0x0001, 0x0055, 0x00AB, 0xFFFE] {
            #expect(tag.digits(width: 4, radix: 16) == String(format: "%04X", tag))
        }
        for byte: UInt8 in [0, 0x0F, 0x49, 0xFF] {
            #expect(byte.digits(width: 2, radix: 16) == String(format: "%02X", byte))
        }
    }
}
