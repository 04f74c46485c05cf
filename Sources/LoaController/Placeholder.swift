public enum PlaceholderLoaController {}
