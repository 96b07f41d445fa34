/// Where the interactive shell keeps its history, and which lines it keeps.
public enum History {
  /// `$XDG_STATE_HOME/sockshell/history`, else `~/.local/state/sockshell/history`; nil when
  /// neither variable is set (the history then lives only as long as the session).
  public static func path(environment: [String: String]) -> String? {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return state + "/sockshell/history"
    }
    if let home = environment["HOME"], !home.isEmpty {
      return home + "/.local/state/sockshell/history"
    }
    return nil
  }

  /// The line as stored: without the trailing blanks Tab completion leaves.
  public static func entry(_ line: String) -> String {
    var line = Substring(line)
    while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
    return String(line)
  }

  /// Blank lines and a repeat of the line before are not stored.
  public static func shouldStore(_ line: String, after previous: String?) -> Bool {
    let entry = entry(line)
    return !entry.allSatisfy { $0 == " " || $0 == "\t" } && entry != previous
  }

  /// How many lines the file keeps.
  public static let limit = 2000
}
