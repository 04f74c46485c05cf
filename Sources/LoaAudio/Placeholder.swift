public enum PlaceholderLoaAudio {}
