/// The PHP run-time settings a session's script may change: error_reporting's level and the ini
/// settings socket programs touch. Each session has its own, so a second call sees what the
/// first set. The starting values are PHP 8.2's own defaults for the CLI, what `php -n` (no
/// php.ini) reports: a distribution's php.ini changes several of them.
public struct PHPSettings: Sendable, Equatable {
  /// E_ALL: every error class PHP 8 has.
  public static let allErrors: Int32 = 32767

  /// error_reporting()'s level. A C int in PHP, so a larger level wraps as it does there.
  public private(set) var errorLevel: Int32 = allErrors

  /// One ini setting: its value, and whether ini_set may change it while a script runs
  /// (output_buffering is fixed once the script has started).
  private struct Entry: Sendable, Equatable {
    var value: [UInt8]
    var changeable: Bool
  }

  private var entries: [String: Entry] = PHPSettings.defaults

  /// The settings sockshell knows, with `php -n`'s values. error_reporting's ini value starts
  /// empty there, though the level is E_ALL: PHP keeps the two apart until one is set.
  private static let defaults: [String: Entry] = {
    var table: [String: Entry] = [:]
    for (name, value) in [
      ("display_errors", "1"), ("display_startup_errors", "1"), ("error_reporting", ""),
      ("log_errors", "0"), ("html_errors", "0"), ("default_socket_timeout", "60"),
      ("max_execution_time", "0"), ("implicit_flush", "1"),
    ] {
      table[name] = Entry(value: Array(value.utf8), changeable: true)
    }
    table["output_buffering"] = Entry(value: Array("0".utf8), changeable: false)
    return table
  }()

  public static var knownNames: [String] { defaults.keys.sorted() }

  public init() {}

  /// ini_get: the value, or nil for a setting sockshell does not know. Names are
  /// case-sensitive, as PHP's are.
  public func value(of name: [UInt8]) -> [UInt8]? {
    entries[String(decoding: name, as: UTF8.self)]?.value
  }

  /// Why ini_set changed nothing.
  public enum SetFailure: Error, Equatable {
    case unknown
    case fixedAtStartup
  }

  /// ini_set: stores the value and returns the old one. Setting error_reporting sets the
  /// level as PHP does, with C's atoi (`"12abc"` is 12, `"E_ALL"` is 0: constants are read
  /// only in php.ini).
  public mutating func set(_ name: [UInt8], to value: [UInt8]) -> Result<[UInt8], SetFailure> {
    let key = String(decoding: name, as: UTF8.self)
    guard let old = entries[key] else { return .failure(.unknown) }
    guard old.changeable else { return .failure(.fixedAtStartup) }
    entries[key]?.value = value
    if key == "error_reporting" { errorLevel = Int32(truncatingIfNeeded: PHPSettings.atol(value)) }
    return .success(old.value)
  }

  /// error_reporting(LEVEL): returns the old level. As in PHP, the ini value changes only when
  /// the new level differs from the old, and the level is the C int the number wraps to.
  public mutating func setErrorLevel(_ level: Int) -> Int32 {
    let old = errorLevel
    if level != Int(old) {
      entries["error_reporting"]?.value = Array(String(level).utf8)
      errorLevel = Int32(truncatingIfNeeded: level)
    }
    return old
  }

  /// max_execution_time as PHP reads it for its timer: atol of the ini value.
  public var executionTimeLimit: Int { PHPSettings.atol(entries["max_execution_time"]?.value ?? []) }

  /// set_time_limit(SECONDS) records its limit here, as PHP's does.
  public mutating func recordTimeLimit(_ seconds: Int) {
    entries["max_execution_time"]?.value = Array(String(seconds).utf8)
  }

  /// C's strtol in base 10, as atoi and atol use it: leading blanks, a sign, digits, whatever
  /// follows ignored; a number past the ends of a long is clamped to them.
  static func atol(_ text: [UInt8]) -> Int {
    var index = 0
    while index < text.count, text[index] == 32 || (9...13).contains(text[index]) { index += 1 }
    var negative = false
    if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
      negative = text[index] == UInt8(ascii: "-")
      index += 1
    }
    // Accumulated as a negative number, whose range reaches Int.min.
    var value = 0
    while index < text.count, (48...57).contains(text[index]) {
      let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowB) = shifted.subtractingReportingOverflow(Int(text[index] - 48))
      if overflowA || overflowB { return negative ? Int.min : Int.max }
      value = sum
      index += 1
    }
    if negative { return value }
    return value == Int.min ? Int.max : -value
  }
}
