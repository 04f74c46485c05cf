// Placeholder until the schedule file tests land.
