/// PHP's date(): a Unix timestamp written out by a format string, in UTC, which is PHP's
/// timezone when none is configured. Every timestamp an Int holds has a date (the proleptic
/// Gregorian calendar, year 0 and negative years included), as PHP's timelib gives it.
public enum DateFormat {
  /// The date and time of a timestamp, broken down as the format characters need it.
  public struct CivilTime: Equatable, Sendable {
    public var year: Int
    /// 1 to 12
    public var month: Int
    /// 1 to 31
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// 0 for Sunday to 6 for Saturday
    public var weekday: Int
    /// 0 for the 1st of January
    public var dayOfYear: Int
    public var timestamp: Int

    public init(timestamp: Int) {
      self.timestamp = timestamp
      // Floor division: the second before the epoch is 23:59:59 of the day before.
      var days = timestamp / 86_400
      var seconds = timestamp % 86_400
      if seconds < 0 {
        days -= 1
        seconds += 86_400
      }
      hour = seconds / 3600
      minute = seconds / 60 % 60
      second = seconds % 60
      (year, month, day) = CivilTime.civil(days: days)
      weekday = CivilTime.floorModulo(days + 4, 7)
      dayOfYear = days - CivilTime.days(year: year, month: 1, day: 1)
    }

    public var isLeapYear: Bool { CivilTime.isLeap(year) }

    /// ISO 8601's week-numbering year and week: weeks start on Monday and week 1 holds the
    /// year's first Thursday, so the 1st of January may be in week 52 or 53 of the year before.
    public var isoWeek: (year: Int, week: Int) {
      let isoWeekday = weekday == 0 ? 7 : weekday
      let week = (dayOfYear + 1 - isoWeekday + 10) / 7
      if week < 1 { return (year - 1, CivilTime.isoWeeks(in: year - 1)) }
      if week > CivilTime.isoWeeks(in: year) { return (year + 1, 1) }
      return (year, week)
    }

    public var daysInMonth: Int {
      month == 2 ? (isLeapYear ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func isoWeeks(in year: Int) -> Int {
      // 53 weeks when the year starts on a Thursday, or on a Wednesday in a leap year.
      let first = floorModulo(days(year: year, month: 1, day: 1) + 4, 7)
      return first == 4 || (first == 3 && isLeap(year)) ? 53 : 52
    }

    static func floorModulo(_ a: Int, _ b: Int) -> Int {
      let remainder = a % b
      return remainder < 0 ? remainder + b : remainder
    }

    /// Days since 1970-01-01 to a civil date, and back (Howard Hinnant's algorithms, exact
    /// for every day an Int of seconds can reach).
    static func days(year: Int, month: Int, day: Int) -> Int {
      let y = month <= 2 ? year - 1 : year
      let era = (y >= 0 ? y : y - 399) / 400
      let yearOfEra = y - era * 400
      let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
      let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
      return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
      let z = days + 719_468
      let era = (z >= 0 ? z : z - 146_096) / 146_097
      let dayOfEra = z - era * 146_097
      let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
      let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
      let shifted = (5 * dayOfYear + 2) / 153
      let day = dayOfYear - (153 * shifted + 2) / 5 + 1
      let month = shifted < 10 ? shifted + 3 : shifted - 9
      return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
  }

  static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
  ]

  /// The format written out for `timestamp`, or nil when the result would pass `limit` bytes
  /// (a format is text the user typed; `r` alone writes 31 bytes).
  public static func format(_ format: [UInt8], timestamp: Int, limit: Int) -> [UInt8]? {
    let time = CivilTime(timestamp: timestamp)
    var out: [UInt8] = []
    out.reserveCapacity(min(limit, format.count * 2))
    var index = 0
    while index < format.count {
      let character = format[index]
      index += 1
      if character == UInt8(ascii: "\\") {
        // The next byte as it is; a backslash that ends the format writes a NUL, as PHP's does.
        out.append(index < format.count ? format[index] : 0)
        index += 1
      } else if let field = field(character, time) {
        out += field.utf8
      } else {
        out.append(character)
      }
      if out.count > limit { return nil }
    }
    return out
  }

  /// What one format character writes; nil for a character that stands for itself.
  static func field(_ character: UInt8, _ t: CivilTime) -> String? {
    switch character {
    // Day
    case UInt8(ascii: "d"): pad(t.day, 2)
    case UInt8(ascii: "D"): String(dayNames[t.weekday].prefix(3))
    case UInt8(ascii: "j"): String(t.day)
    case UInt8(ascii: "l"): dayNames[t.weekday]
    case UInt8(ascii: "N"): String(t.weekday == 0 ? 7 : t.weekday)
    case UInt8(ascii: "S"): ordinalSuffix(t.day)
    case UInt8(ascii: "w"): String(t.weekday)
    case UInt8(ascii: "z"): String(t.dayOfYear)
    // Week
    case UInt8(ascii: "W"): pad(t.isoWeek.week, 2)
    // Month
    case UInt8(ascii: "F"): monthNames[t.month - 1]
    case UInt8(ascii: "m"): pad(t.month, 2)
    case UInt8(ascii: "M"): String(monthNames[t.month - 1].prefix(3))
    case UInt8(ascii: "n"): String(t.month)
    case UInt8(ascii: "t"): String(t.daysInMonth)
    // Year
    case UInt8(ascii: "L"): t.isLeapYear ? "1" : "0"
    case UInt8(ascii: "o"): String(t.isoWeek.year)
    case UInt8(ascii: "X"): (t.year < 0 ? "-" : "+") + pad(t.year.magnitude, 4)
    case UInt8(ascii: "x"):
      t.year >= 10_000 || t.year < 0 ? (t.year < 0 ? "-" : "+") + pad(t.year.magnitude, 4) : pad(t.year, 4)
    case UInt8(ascii: "Y"): (t.year < 0 ? "-" : "") + pad(t.year.magnitude, 4)
    // C's `%02d` of `year % 100`: the sign stays, so year -1 is "-1".
    case UInt8(ascii: "y"): signedPad(t.year % 100, 2)
    // Time
    case UInt8(ascii: "a"): t.hour < 12 ? "am" : "pm"
    case UInt8(ascii: "A"): t.hour < 12 ? "AM" : "PM"
    case UInt8(ascii: "B"): pad(swatchBeat(t.timestamp), 3)
    case UInt8(ascii: "g"): String(t.hour % 12 == 0 ? 12 : t.hour % 12)
    case UInt8(ascii: "G"): String(t.hour)
    case UInt8(ascii: "h"): pad(t.hour % 12 == 0 ? 12 : t.hour % 12, 2)
    case UInt8(ascii: "H"): pad(t.hour, 2)
    case UInt8(ascii: "i"): pad(t.minute, 2)
    case UInt8(ascii: "s"): pad(t.second, 2)
    // A timestamp is whole seconds.
    case UInt8(ascii: "u"): "000000"
    case UInt8(ascii: "v"): "000"
    // Timezone: always UTC.
    case UInt8(ascii: "e"), UInt8(ascii: "T"): "UTC"
    case UInt8(ascii: "I"), UInt8(ascii: "Z"): "0"
    case UInt8(ascii: "O"): "+0000"
    case UInt8(ascii: "P"): "+00:00"
    case UInt8(ascii: "p"): "Z"
    // Full date and time; the year as C's `%04lld`, so year -1 is "-001".
    case UInt8(ascii: "c"):
      signedPad(t.year, 4) + "-\(pad(t.month, 2))-\(pad(t.day, 2))T\(pad(t.hour, 2)):\(pad(t.minute, 2)):"
        + pad(t.second, 2) + "+00:00"
    case UInt8(ascii: "r"):
      "\(dayNames[t.weekday].prefix(3)), \(pad(t.day, 2)) \(monthNames[t.month - 1].prefix(3)) "
        + "\(signedPad(t.year, 4)) \(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)) +0000"
    case UInt8(ascii: "U"): String(t.timestamp)
    default: nil
    }
  }

  /// English ordinal suffix of a day of the month: 1st, 2nd, 3rd, 11th, 22nd.
  static func ordinalSuffix(_ day: Int) -> String {
    if (10...19).contains(day) { return "th" }
    switch day % 10 {
    case 1: return "st"
    case 2: return "nd"
    case 3: return "rd"
    default: return "th"
    }
  }

  /// Swatch Internet time, computed as PHP computes it: from the seconds of the UTC day plus
  /// the hour of Biel's time zone, in thousandths of a day.
  static func swatchBeat(_ timestamp: Int) -> Int {
    var tenths = (timestamp % 86_400 + 3600) * 10
    if tenths < 0 { tenths += 864_000 }
    return tenths / 864 % 1000
  }

  /// Zero-padded to `width` digits: `%02d` of a number that is not negative.
  static func pad(_ value: some BinaryInteger, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  /// C's `%0Nd`: a minus sign counts in the width and the zeros come after it.
  static func signedPad(_ value: Int, _ width: Int) -> String {
    value < 0 ? "-" + pad(value.magnitude, width - 1) : pad(value, width)
  }
}
