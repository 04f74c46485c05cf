public import LoaAudio
import Foundation

/// A sine at half scale, mono (a 16 kHz WAV of it is 32 kB a second): test and bench audio
/// whose pitch tells one item from another.
public func halfScaleTone(seconds: Double, frequency: Double = 440, sampleRate: Int = 16000) -> PCMAudio {
    let frames = Int(seconds * Double(sampleRate))
    let samples = (0..<frames).map { Int16(16000 * sin(2 * .pi * frequency * Double($0) / Double(sampleRate))) }
    return PCMAudio(sampleRate: sampleRate, channels: 1, samples: samples)
}
