public import Foundation
public import LoaAudio
import LoaDomain

/// What a receiver sends to its speaker for these audio bytes: decoded, brought to
/// Loa's loudness target (`LoudnessNormalisation.loudspeakers`), then lowered to the
/// item's volume step (`SpeakerVolume`), as `Receiver` does.
public func loudspeakerAudio(_ data: Data, volume: Int = 10) throws -> PCMAudio {
    LoudnessNormalisation.loudspeakers.apply(to: try AudioDecoder.decode(data))
        .amplified(byDecibels: SpeakerVolume.gainDecibels(volume))
}
