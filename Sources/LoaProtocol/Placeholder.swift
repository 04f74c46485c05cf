public enum PlaceholderLoaProtocol {}
