/// `switch` in Python, which has none that falls through: an `if`/`elif` chain on the subject,
/// labels with an empty body grouped with the next. It is written when each group ends with its
/// `break` (or leaves otherwise), `default` comes last, and no other `break` or `continue` inside
/// reaches the switch; anything else is refused with its line.
extension PythonSourceWriter {
  mutating func writeSwitch(_ condition: Condition, _ cases: [SwitchCase]) throws(SourceExport.Refusal) {
    func refuse(_ why: String, _ line: Int) -> SourceExport.Refusal {
      SourceExport.Refusal("this switch \(why), which Python's if/elif cannot say: write it with if/elseif", line: line)
    }
    // Labels that share a body, and the body without its closing break.
    var groups: [(labels: [Expr?], body: [ProgramStatement], line: Int)] = []
    var labels: [Expr?] = []
    for (position, item) in cases.enumerated() {
      labels.append(item.label)
      if item.body.isEmpty && position + 1 < cases.count { continue }
      var body = item.body
      switch body.last {
      case .breakLoops(1), .continueLoops(1): body.removeLast()
      case .some(let last) where CSourceWriter.leavesCase(last): break
      default:
        guard position + 1 == cases.count else { throw refuse("falls from one case into the next", item.line) }
      }
      if PythonSourceWriter.reachesSwitch(from: body, loops: 0) { throw refuse("is left from inside a case", item.line) }
      groups.append((labels, body, item.line))
      labels = []
    }
    if let index = groups.firstIndex(where: { $0.labels.contains { $0 == nil } }), index + 1 < groups.count {
      throw refuse("has its default before other cases", groups[index].line)
    }
    manPages(condition.expr)
    var subject = try expression(condition.expr, line: condition.line)
    if condition.expr.variableName == nil {
      // Evaluated once, as PHP does.
      let name = "switch_value_\(condition.line)"
      out.add("\(name) = \(subject)")
      subject = name
    }
    for (position, group) in groups.enumerated() {
      let tests = try group.labels.compactMap { $0 }.map { (label) throws(SourceExport.Refusal) -> String in
        "\(subject) == \(try operand(label, line: group.line))"
      }
      if tests.count < group.labels.count || tests.isEmpty {
        out.add(position == 0 ? "if True:" : "else:")
      } else {
        out.add((position == 0 ? "if " : "elif ") + tests.joined(separator: " or ") + ":")
      }
      out.depth += 1
      let start = out.lines.count
      loops.append(.switchBlock)
      for statement in group.body { try write(statement) }
      loops.removeLast()
      if out.lines.count == start { out.add("pass") }
      out.depth -= 1
    }
  }

  /// A break or continue in these statements that stops at the switch they are in, past `loops`
  /// loops of their own.
  static func reachesSwitch(from statements: [ProgramStatement], loops: Int) -> Bool {
    statements.contains { statement in
      switch statement {
      case .breakLoops(let count), .continueLoops(let count): count == loops + 1
      case .block(let inner): reachesSwitch(from: inner, loops: loops)
      case .conditional(let branches, let otherwise):
        branches.contains { reachesSwitch(from: [$0.1], loops: loops) }
          || otherwise.map { reachesSwitch(from: [$0], loops: loops) } ?? false
      case .whileLoop(_, let body), .doWhile(let body, _), .forLoop(_, _, _, _, let body), .foreach(_, _, _, _, let body):
        reachesSwitch(from: [body], loops: loops + 1)
      case .switchOn(_, let cases): cases.contains { reachesSwitch(from: $0.body, loops: loops + 1) }
      default: false
      }
    }
  }
}
