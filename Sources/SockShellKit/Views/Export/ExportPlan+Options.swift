/// Socket options as the journal keeps them: the value in strace's words (`[1]`,
/// `{l_onoff=1, l_linger=0}`, `{tv_sec=1, tv_usec=0}`), read back into what a program passes.
extension ExportPlan {
  /// The value a setsockopt gave, or nil for one no program can spell from the echo.
  static func optionValue(_ text: String) -> OptionValue? {
    if text.hasPrefix("["), text.hasSuffix("]"), let number = Int32(text.dropFirst().dropLast()) {
      return .int(number)
    }
    let fields = structFields(text)
    if let onoff = fields["l_onoff"], let seconds = fields["l_linger"], fields.count == 2 {
      return .linger(onoff: Int32(truncatingIfNeeded: onoff), seconds: Int32(truncatingIfNeeded: seconds))
    }
    if let seconds = fields["tv_sec"], let microseconds = fields["tv_usec"], fields.count == 2 {
      return .timeval(seconds: seconds, microseconds: microseconds)
    }
    return nil
  }

  /// What a getsockopt read into, from the value it got (or, when it failed, the length it gave:
  /// `[8]`, `[232 => 104]`).
  static func optionShape(value: String, length: String) -> OptionShape? {
    if value.hasPrefix("{l_onoff=") { return .linger }
    if value.hasPrefix("{tv_sec=") { return .timeval }
    let given = Int(length.dropFirst().prefix { $0.isNumber }) ?? 0
    if value.hasPrefix("[") || given == MemoryLayout<Int32>.size { return .int }
    if value.hasPrefix("{") && given > 0 { return .bytes(given) }
    switch given {
    case MemoryLayout<Int32>.size * 2: return .linger
    case MemoryLayout<Int>.size * 2: return .timeval
    default: return given > 0 ? .bytes(given) : nil
    }
  }

  /// `{l_onoff=1, l_linger=0}` as its named numbers; empty for anything else.
  static func structFields(_ text: String) -> [String: Int] {
    guard text.hasPrefix("{"), text.hasSuffix("}") else { return [:] }
    var fields: [String: Int] = [:]
    for part in text.dropFirst().dropLast().split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1)
      guard pair.count == 2, let number = Int(pair[1].trimmingSpaces()) else { return [:] }
      fields[String(pair[0].trimmingSpaces())] = number
    }
    return fields
  }
}
