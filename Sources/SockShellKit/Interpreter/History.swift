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

  /// Blank lines and a repeat of the line before are not stored.
  public static func shouldStore(_ line: String, after previous: String?) -> Bool {
    !line.allSatisfy { $0 == " " || $0 == "\t" } && line != previous
  }

  /// How many lines the file keeps.
  public static let limit = 2000
}
