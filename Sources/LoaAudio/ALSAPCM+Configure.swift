import CALSA

/// The buffer geometry ALSA granted.
struct ALSABufferGeometry {
    var bufferFrames: Int
    var periodFrames: Int
}

extension ALSAPCM {
    /// Sets interleaved S16_LE at the audio's rate and channels, a ~500 ms buffer of ~50 ms
    /// periods, a start threshold above the buffer (ALSA never starts by itself: we call
    /// `snd_pcm_start`) and CLOCK_REALTIME (gettimeofday) timestamps. Leaves the PCM PREPARED.
    func configure(sampleRate: Int, channels: Int) throws -> ALSABufferGeometry {
        var hw: OpaquePointer?
        try check(snd_pcm_hw_params_malloc(&hw), "snd_pcm_hw_params_malloc")
        defer { snd_pcm_hw_params_free(hw) }
        try check(snd_pcm_hw_params_any(handle, hw), "snd_pcm_hw_params_any")
        try check(snd_pcm_hw_params_set_access(handle, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "snd_pcm_hw_params_set_access(RW_INTERLEAVED)")
        try check(snd_pcm_hw_params_set_format(handle, hw, SND_PCM_FORMAT_S16_LE), "snd_pcm_hw_params_set_format(S16_LE)")
        try check(snd_pcm_hw_params_set_channels(handle, hw, UInt32(channels)), "snd_pcm_hw_params_set_channels(\(channels))")
        var rate = UInt32(sampleRate)
        try check(snd_pcm_hw_params_set_rate_near(handle, hw, &rate, nil), "snd_pcm_hw_params_set_rate_near(\(sampleRate))")
        guard Int(rate) == sampleRate else {
            throw ALSAError.unsupportedRate(device: device, requested: sampleRate, nearest: Int(rate))
        }
        var bufferTime: UInt32 = 500_000
        try check(snd_pcm_hw_params_set_buffer_time_near(handle, hw, &bufferTime, nil), "snd_pcm_hw_params_set_buffer_time_near")
        var periodTime: UInt32 = 50_000
        try check(snd_pcm_hw_params_set_period_time_near(handle, hw, &periodTime, nil), "snd_pcm_hw_params_set_period_time_near")
        try check(snd_pcm_hw_params(handle, hw), "snd_pcm_hw_params")

        var bufferFrames: snd_pcm_uframes_t = 0
        var periodFrames: snd_pcm_uframes_t = 0
        try check(snd_pcm_hw_params_get_buffer_size(hw, &bufferFrames), "snd_pcm_hw_params_get_buffer_size")
        try check(snd_pcm_hw_params_get_period_size(hw, &periodFrames, nil), "snd_pcm_hw_params_get_period_size")

        var sw: OpaquePointer?
        try check(snd_pcm_sw_params_malloc(&sw), "snd_pcm_sw_params_malloc")
        defer { snd_pcm_sw_params_free(sw) }
        try check(snd_pcm_sw_params_current(handle, sw), "snd_pcm_sw_params_current")
        var boundary: snd_pcm_uframes_t = 0
        try check(snd_pcm_sw_params_get_boundary(sw, &boundary), "snd_pcm_sw_params_get_boundary")
        try check(snd_pcm_sw_params_set_start_threshold(handle, sw, boundary), "snd_pcm_sw_params_set_start_threshold")
        try check(snd_pcm_sw_params_set_avail_min(handle, sw, periodFrames), "snd_pcm_sw_params_set_avail_min")
        try check(snd_pcm_sw_params_set_tstamp_mode(handle, sw, SND_PCM_TSTAMP_ENABLE), "snd_pcm_sw_params_set_tstamp_mode(ENABLE)")
        try check(snd_pcm_sw_params_set_tstamp_type(handle, sw, SND_PCM_TSTAMP_TYPE_GETTIMEOFDAY), "snd_pcm_sw_params_set_tstamp_type(GETTIMEOFDAY)")
        try check(snd_pcm_sw_params(handle, sw), "snd_pcm_sw_params")
        return ALSABufferGeometry(bufferFrames: Int(bufferFrames), periodFrames: Int(periodFrames))
    }
}
