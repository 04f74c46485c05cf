extension LocalDate {
    /// The day `count` working days after this one: Monday to Friday, not one of `holidays`.
    public func adding(workingDays count: Int, holidays: some Collection<LocalDate>) -> LocalDate {
        var day = self, left = count
        while left > 0 {
            day = day.adding(days: 1)
            if day.weekday.isWorkingDay, !holidays.contains(day) { left -= 1 }
        }
        return day
    }
}

extension Sequence where Element == LocalDate {
    /// The runs of consecutive calendar days among these days, earliest first (their
    /// order and repeats do not matter): what "on N consecutive days" is judged on.
    public var consecutiveRuns: [ClosedRange<LocalDate>] {
        var runs: [ClosedRange<LocalDate>] = []
        for day in Set(self).sorted() {
            if let last = runs.last, last.upperBound.adding(days: 1) == day {
                runs[runs.count - 1] = last.lowerBound...day
            } else {
                runs.append(day...day)
            }
        }
        return runs
    }

    /// The length in days of the longest run of consecutive days; 0 when there is no day.
    public var longestConsecutiveRun: Int { consecutiveRuns.map(\.dayCount).max() ?? 0 }
}

extension ClosedRange where Bound == LocalDate {
    /// Days in the range, both ends included.
    public var dayCount: Int { lowerBound.days(to: upperBound) + 1 }
}
