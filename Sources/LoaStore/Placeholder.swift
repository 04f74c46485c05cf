public enum PlaceholderLoaStore {}
