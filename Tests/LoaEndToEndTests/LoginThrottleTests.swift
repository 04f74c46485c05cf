import Foundation
import LoaController
import Testing

/// The in-memory login throttle: five failures in fifteen minutes lock a name or an address.
@Suite("Login throttle")
struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_795_485_600)

    @Test("five failures lock the name until the first of them leaves the 15-minute window")
    func locksName() {
        var throttle = LoginThrottle()
        for minute in 0..<5 {
            #expect(throttle.retryAfter(name: "can-bo", address: nil, now: start + Double(minute) * 60) == nil)
            throttle.recordFailure(name: "can-bo", address: nil, now: start + Double(minute) * 60)
        }
        #expect(throttle.retryAfter(name: "can-bo", address: nil, now: start + 5 * 60).map { Int($0.rounded()) } == 600)
        #expect(throttle.retryAfter(name: "CAN-BO", address: "10.0.0.9", now: start + 14 * 60).map { Int($0.rounded()) } == 60)
        #expect(throttle.retryAfter(name: "chu-tich", address: nil, now: start + 5 * 60) == nil, "other names are free")
        #expect(throttle.retryAfter(name: "can-bo", address: nil, now: start + 15 * 60) == nil)
    }

    @Test("a success unlocks nothing: the lock holds for the rest of the window")
    func successDoesNotUnlock() {
        var throttle = LoginThrottle()
        for second in 0..<5 { throttle.recordFailure(name: "can-bo", address: "10.0.0.2", now: start + Double(second)) }
        // The route asks before checking the password, so a right password is never tried while locked.
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.3", now: start + 60) != nil)
        #expect(throttle.retryAfter(name: "can-bo", address: "10.0.0.3", now: start + 14 * 60) != nil)
    }

    @Test("five failures from one address lock it for every name")
    func locksAddress() {
        var throttle = LoginThrottle()
        for (index, name) in ["a", "b", "c", "d", "e"].enumerated() {
            throttle.recordFailure(name: name, address: "10.0.0.7", now: start + Double(index))
        }
        #expect(throttle.retryAfter(name: "f", address: "10.0.0.7", now: start + 10).map { Int($0.rounded()) } == 890)
        #expect(throttle.retryAfter(name: "f", address: "10.0.0.8", now: start + 10) == nil)
        #expect(throttle.retryAfter(name: "a", address: "10.0.0.8", now: start + 10) == nil, "one failure per name is no lock")
    }
}
