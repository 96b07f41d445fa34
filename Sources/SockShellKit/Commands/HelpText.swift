/// The text of `help`, built from the command table so it is never written twice.
public enum HelpText {
  public static func overview(_ table: CommandTable) -> String {
    var text = ""
    for family in CommandSpec.Family.allCases {
      let members = table.commands.filter { $0.family == family }
      guard !members.isEmpty else { continue }
      text += family.rawValue + "\n"
      for spec in members {
        let name = spec.name.padding(16)
        text += "  \(name)\(spec.summary)\n"
      }
    }
    text += "Type `help COMMAND` for one command in detail, with its C and PHP forms, and `help if`,\n"
    text += "`help foreach`, `help switch`, `help function`, `help isset`, … for the language's keywords.\n"
    return text
  }

  public static func detail(_ spec: CommandSpec) -> String {
    var text = spec.synopsis + "\n  " + spec.summary + "\n\n"
    func field(_ label: String, _ value: String?) {
      guard let value, !value.isEmpty else { return }
      text += "  " + (label + ":").padding(11) + value + "\n"
    }
    if !spec.synopsis.contains("(") {
      field("command", spec.synopsis)
      field("call", spec.callForm)
    }
    field("aliases", spec.aliases.joined(separator: ", "))
    field("C", spec.prototype)
    field("PHP", spec.php)
    field("manual", spec.manPage.map { "\($0), read it with `man \(manSection($0))`" })
    field("state", spec.effect)
    if !spec.notes.isEmpty {
      text += "\n"
      for line in spec.notes.split(separator: "\n", omittingEmptySubsequences: false) {
        text += "  " + line + "\n"
      }
    }
    if !spec.errors.isEmpty {
      text += "\n  errors you may meet:\n"
      for error in spec.errors { text += "    " + error.name.padding(15) + error.reason + "\n" }
    }
    if let example = spec.example { text += "\n  example:   " + example + "\n" }
    return text
  }

  /// `bind(2)` → `2 bind`
  static func manSection(_ page: String) -> String {
    guard let open = page.firstIndex(of: "("), page.hasSuffix(")") else { return page }
    let name = page[..<open]
    let section = page[page.index(after: open)..<page.index(before: page.endIndex)]
    return "\(section) \(name)"
  }

  /// Left-aligned columns separated by two spaces.
  public static func table(_ rows: [[String]]) -> String {
    var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    var text = ""
    for row in rows {
      var line = ""
      for (column, cell) in row.enumerated() {
        line += column == row.count - 1 ? cell : cell.padding(widths[column] + 2)
      }
      while line.hasSuffix(" ") { line.removeLast() }
      text += line + "\n"
    }
    return text
  }

  /// The command reference of the README, as a Markdown table.
  public static func markdownReference(_ table: CommandTable) -> String {
    var text = ""
    for family in CommandSpec.Family.allCases {
      let members = table.commands.filter { $0.family == family }
      guard !members.isEmpty else { continue }
      text += "\n**\(family.rawValue)**\n\n| command | also | what it does |\n|---|---|---|\n"
      for spec in members {
        let aliases = spec.aliases.map { "`\($0)`" }.joined(separator: " ")
        text += "| `\(spec.synopsis.replacingPipes())` | \(aliases) | \(spec.summary) |\n"
      }
    }
    return text
  }
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }

  fileprivate func replacingPipes() -> String {
    var out = ""
    for c in self { out += c == "|" ? "\\|" : String(c) }
    return out
  }
}
