// Placeholder until the schedule file reader lands; replaced by its first file.
