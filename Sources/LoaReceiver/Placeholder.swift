public enum PlaceholderLoaReceiver {}
