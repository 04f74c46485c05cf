import Foundation
import LoaController
import Testing

/// The in-memory login throttle: within fifteen minutes, five failures lock a name from
/// one address, twenty a name from anywhere, thirty an address for every name.
@Suite("Login throttle")
struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_795_485_600)

    @Test("five failures lock the name from that address until the first of them leaves the 15-minute window; the office's others still log in")
    func locksNameFromAddress() {
        var throttle = LoginThrottle()
        for minute in 0..<5 {
            #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.9", now: start + Double(minute) * 60) == nil)
            throttle.recordFailure(name: "can-bo", address: "10.0.0.9", now: start + Double(minute) * 60)
        }
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.9", now: start + 5 * 60).map { Int($0.rounded()) } == 600)
        #expect(throttle.retryAfter(name: "CAN-BO", address: "10.0.0.9", now: start + 14 * 60).map { Int($0.rounded()) } == 60)
        #expect(throttle.retryAfter(name: "chu-tich", address: "10.0.0.9", now: start + 5 * 60) == nil, "others behind the same address are free")
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.10", now: start + 5 * 60) == nil, "the officer at another address is free")
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.9", now: start + 15 * 60) == nil)
    }

    @Test("twenty failures of one name from many addresses lock the name everywhere")
    func locksNameEverywhere() {
        var throttle = LoginThrottle()
        for index in 0..<19 { throttle.recordFailure(name: "chu-tich", address: "10.1.0.\(index)", now: start + Double(index)) }
        #expect(throttle.retryAfter(name: "chu-tich", address: "10.2.0.1", now: start + 30) == nil)
        throttle.recordFailure(name: "chu-tich", address: "10.1.0.99", now: start + 19)
        #expect(throttle.retryAfter(name: "chu-tich", address: "10.2.0.1", now: start + 30).map { Int($0.rounded()) } == 870)
        #expect(throttle.retryAfter(name: "chu-tich", address: nil, now: start + 30) != nil)
    }

    @Test("a success unlocks nothing: the lock holds for the rest of the window")
    func successDoesNotUnlock() {
        var throttle = LoginThrottle()
        for second in 0..<5 { throttle.recordFailure(name: "can-bo", address: "10.0.0.2", now: start + Double(second)) }
        // The route asks before checking the password, so a right password is never tried while locked.
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.2", now: start + 60) != nil)
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.2", now: start + 14 * 60) != nil)
    }

    @Test("thirty failures from one address, one per name, lock the address for every name; five do not")
    func locksAddress() {
        var throttle = LoginThrottle()
        for index in 0..<5 { throttle.recordFailure(name: "ten-\(index)", address: "10.0.0.7", now: start + Double(index)) }
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.7", now: start + 10) == nil, "an office's few mistakes lock no one")
        for index in 5..<30 { throttle.recordFailure(name: "ten-\(index)", address: "10.0.0.7", now: start + Double(index)) }
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.7", now: start + 40).map { Int($0.rounded()) } == 860)
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.8", now: start + 40) == nil)
        #expect(throttle.retryAfter(name: "ten-0", address: "10.0.0.8", now: start + 40) == nil, "one failure per name is no lock")
    }
}
