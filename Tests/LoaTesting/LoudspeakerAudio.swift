public import Foundation
public import LoaAudio

/// What a receiver sends to its speaker for these audio bytes: decoded, then brought to
/// Loa's loudness target (`LoudnessNormalisation.loudspeakers`), as `Receiver` does.
public func loudspeakerAudio(_ data: Data) throws -> PCMAudio {
    LoudnessNormalisation.loudspeakers.apply(to: try AudioDecoder.decode(data))
}
