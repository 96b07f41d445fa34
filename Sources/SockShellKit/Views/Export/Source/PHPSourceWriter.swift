/// A script's syntax tree as a PHP program: sockshell's language is PHP's, so the statements are
/// written back as PHP spells them, each command as its `socket_*` function.
struct PHPSourceWriter {
  let tree: ScriptTree
  private var out = SourceLines()

  init(_ tree: ScriptTree) { self.tree = tree }

  mutating func text() throws(SourceExport.Refusal) -> String {
    out.add("<?php")
    out.add("/*")
    for line in SourceExport.preamble(.php) { out.add(" * " + line) }
    out.add(" */")
    out.add("// PHP's warnings once, on stderr, where the C and Python programs say a call failed.")
    out.add("ini_set('display_errors', 'stderr');")
    out.add("ini_set('log_errors', '0');")
    out.add("")
    for function in tree.functions {
      let parameters = try function.parameters.map { (parameter) throws(SourceExport.Refusal) -> String in
        let name = (parameter.byReference ? "&$" : "$") + parameter.name
        guard let value = parameter.defaultValue else { return name }
        return name + " = " + (try expression(value, line: function.line))
      }
      out.add("function \(function.name)(\(parameters.joined(separator: ", ")))")
      out.add("{")
      out.depth += 1
      for statement in function.body { try write(statement) }
      out.depth -= 1
      out.add("}")
      out.add("")
    }
    for statement in tree.statements { try write(statement) }
    while out.lines.last == "" { out.lines.removeLast() }
    return out.lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Statements

  private mutating func write(_ statement: ProgramStatement) throws(SourceExport.Refusal) {
    switch statement {
    case .simple(let simple, let line): try write(simple, line: line)
    case .block(let inner): for item in inner { try write(item) }
    case .conditional(let branches, let otherwise):
      for (position, (condition, body)) in branches.enumerated() {
        manPages(condition.expr)
        let head = "(" + (try expression(condition.expr, line: condition.line)) + ") {"
        out.add(position == 0 ? "if " + head : "} elseif " + head)
        try block(body)
      }
      if let otherwise {
        out.add("} else {")
        try block(otherwise)
      }
      out.add("}")
    case .whileLoop(let condition, let body):
      manPages(condition.expr)
      out.add("while (\(try expression(condition.expr, line: condition.line))) {")
      try block(body)
      out.add("}")
    case .doWhile(let body, let condition):
      out.add("do {")
      try block(body)
      out.add("} while (\(try expression(condition.expr, line: condition.line)));")
    case .forLoop(let initial, let conditions, let steps, let line, let body):
      for part in initial + conditions + steps { manPages(part) }
      let parts = try [initial, conditions, steps].map { (list) throws(SourceExport.Refusal) -> String in
        try list.map { (item) throws(SourceExport.Refusal) -> String in try expression(item, line: line) }
          .joined(separator: ", ")
      }
      out.add("for (\(parts[0]); \(parts[1]); \(parts[2])) {")
      try block(body)
      out.add("}")
    case .foreach(let condition, let key, let value, let byReference, let body):
      manPages(condition.expr)
      let subject = try expression(condition.expr, line: condition.line)
      let target = (key.map { "$\($0) => " } ?? "") + (byReference ? "&$" : "$") + value
      out.add("foreach (\(subject) as \(target)) {")
      try block(body)
      out.add("}")
    case .switchOn(let condition, let cases):
      out.add("switch (\(try expression(condition.expr, line: condition.line))) {")
      out.depth += 1
      for item in cases {
        out.add(item.label == nil ? "default:" : "case \(try expression(item.label!, line: item.line)):")
        out.depth += 1
        for statement in item.body { try write(statement) }
        out.depth -= 1
      }
      out.depth -= 1
      out.add("}")
    case .breakLoops(let count): out.add(count == 1 ? "break;" : "break \(count);")
    case .continueLoops(let count): out.add(count == 1 ? "continue;" : "continue \(count);")
    case .returnValue(let value, let line):
      if let value {
        manPages(value)
        out.add("return \(try expression(value, line: line));")
      } else {
        out.add("return;")
      }
    case .global(let names): out.add("global " + names.map { "$" + $0 }.joined(separator: ", ") + ";")
    case .text(let bytes): out.add("echo \(PHPProgramWriter.string(bytes));")
    case .empty: break
    }
  }

  private mutating func block(_ body: ProgramStatement) throws(SourceExport.Refusal) {
    out.depth += 1
    try write(body)
    out.depth -= 1
  }

  private mutating func write(_ statement: Statement, line: Int) throws(SourceExport.Refusal) {
    let code: String
    switch statement.kind {
    case .expression(.assign(let target, .plain, let value, _)) where PHPSourceWriter.isPair(value):
      // sockshell's socketpair gives the pair; PHP's fills a variable, from which it is stored.
      manPages(value)
      out.add(try pair(value, into: "$created_pair", line: line) + ";")
      code = "\(try expression(target, line: line)) = $created_pair"
    case .expression(.logical(.or, let left, .exit(.some(let message), scriptRules: true, _), _)) where !tree.isPHP:
      // A script's `f() or die("…")` prints the message and ends with 1, as sockshell does.
      manPages(left)
      out.add("if (!(\(try expression(left, line: line)))) {")
      out.depth += 1
      out.add("echo \(try expression(message, line: line));")
      out.add("exit(1);")
      out.depth -= 1
      out.add("}")
      return
    case .expression(let expr):
      if case .call(let name, let arguments, _) = expr, let spec = ScriptTree.commands.lookup(name),
        spec.family == .shell, !["die", "sleep", "usleep", "set_time_limit", "unlink"].contains(spec.name)
      {
        // The shell's own commands make no call a program would: what they showed is said.
        if spec.name == "quit" {
          out.add("exit(0);")
        } else {
          let shown = try arguments.map { (item) throws(SourceExport.Refusal) -> String in
            try expression(item, line: line)
          }
          out.add("// sockshell: \(([name] + shown).joined(separator: " ")) (the shell's own command)")
        }
        return
      }
      if case .exit(.some(let value), scriptRules: true, _) = expr, !tree.isPHP, !SourceSyntax.isInteger(value) {
        // A script's die("…") prints the message and ends with 1.
        out.add("echo \(try expression(value, line: line));")
        out.add("exit(1);")
        return
      }
      manPages(expr)
      code = try expression(expr, line: line)
    case .assign(let name, .call(let callee, let arguments, _), false)
    where PHPSourceWriter.receivesAsValue(callee, arguments):
      // sockshell's recv and recvfrom give the data; PHP's fill a variable and count.
      manPages(.call(name: callee, arguments: arguments, column: 0))
      // On a failure PHP's function leaves null where sockshell's value is false.
      code = "$\(name) = \(try receivedValue(callee, arguments, into: name, line: line))"
    case .assign(let name, let value, let onlyIfUnset) where !onlyIfUnset && PHPSourceWriter.isPair(value):
      manPages(value)
      code = try pair(value, into: "$" + name, line: line)
    case .assign(let name, let value, let onlyIfUnset):
      manPages(value)
      code = "$\(name) \(onlyIfUnset ? "??=" : "=") \(try expression(value, line: line))"
    case .destructure(let names, let value):
      manPages(value)
      code = "[" + names.map { $0.map { "$" + $0 } ?? "" }.joined(separator: ", ") + "] = "
        + (try expression(value, line: line))
    case .echo(let items):
      for item in items { manPages(item) }
      code = "echo "
        + (try items.map { (item) throws(SourceExport.Refusal) -> String in try expression(item, line: line) })
        .joined(separator: ", ")
    }
    guard let orDie = statement.orDie else {
      out.add(code + ";")
      return
    }
    // `or die(…)` on a statement of a script: the message, and the status 1 a script ends with.
    out.add("if (!(\(code))) {")
    out.depth += 1
    if let message = orDie { out.add("echo \(try expression(message, line: line));") }
    out.add(tree.isPHP ? "exit(0);" : "exit(1);")
    out.depth -= 1
    out.add("}")
  }

  /// A comment naming the man pages of the socket calls a statement makes.
  private mutating func manPages(_ expr: Expr) {
    let pages = SourceSyntax.manPages(in: expr)
    if !pages.isEmpty { out.add("// " + pages.joined(separator: ", ")) }
  }

  // MARK: - Expressions

  /// An expression as PHP writes it; compound operands in parentheses, so no precedence is lost.
  func expression(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    switch expr {
    case .literal(let value): return try literal(value, line: line)
    case .variable("_from", _): throw SourceExport.Refusal(SourceSyntax.fromRefusal, line: line)
    case .variable(let name, _): return "$" + name
    case .constant(let name, _): return constant(name)
    case .word(let word): return PHPProgramWriter.string(Array(word.utf8))
    case .arrayLiteral(let keys, let values):
      var items: [String] = []
      for (key, value) in zip(keys, values) {
        let written = try expression(value, line: line)
        items.append(try key.map { (key) throws(SourceExport.Refusal) -> String in
          try expression(key, line: line) + " => " + written
        } ?? written)
      }
      return "[" + items.joined(separator: ", ") + "]"
    case .isset(let items): return "isset(\(try list(items, line: line)))"
    case .empty(let inner): return "empty(\(try expression(inner, line: line)))"
    case .unset(let items): return "unset(\(try list(items, line: line)))"
    case .index(let base, let key, _): return "\(try operand(base, line: line))[\(try expression(key, line: line))]"
    case .interpolated(let items) where items.allSatisfy(PHPSourceWriter.interpolates):
      var text = "\""
      for item in items {
        if case .literal(.bytes(let bytes)) = item {
          text += String(PHPProgramWriter.string(bytes).dropFirst().dropLast())
        } else {
          text += "{" + (try expression(item, line: line)) + "}"
        }
      }
      return text + "\""
    case .concat(let items), .interpolated(let items):
      return try items.map { (item) throws(SourceExport.Refusal) -> String in try operand(item, line: line) }
        .joined(separator: " . ")
    case .bitOr(let items):
      return try items.map { (item) throws(SourceExport.Refusal) -> String in try operand(item, line: line) }
        .joined(separator: " | ")
    case .call(let name, let arguments, _): return try call(name, arguments, line: line)
    case .append(let base, _): return "\(try operand(base, line: line))[]"
    case .unary(let op, let inner, _):
      let symbol = [UnaryOperator.negate: "-", .plus: "+", .not: "!", .bitNot: "~", .silence: "@"][op]!
      return symbol + (try operand(inner, line: line))
    case .binary(let op, let left, let right, _):
      return "\(try operand(left, line: line)) \(op.spelling) \(try operand(right, line: line))"
    case .logical(let op, let left, let right, _):
      let symbol = [LogicalOperator.and: "&&", .or: "||", .xor: "xor", .coalesce: "??"][op]!
      return "\(try operand(left, line: line)) \(symbol) \(try operand(right, line: line))"
    case .ternary(let test, let middle, let otherwise, _):
      let condition = try operand(test, line: line)
      let last = try operand(otherwise, line: line)
      guard let middle else { return "\(condition) ?: \(last)" }
      return "\(condition) ? \(try operand(middle, line: line)) : \(last)"
    case .cast(let type, let inner, _):
      let name = [CastType.int: "int", .float: "float", .string: "string", .bool: "bool", .array: "array"][type]!
      return "(\(name)) " + (try operand(inner, line: line))
    case .assign(.variable(let variable, _), .plain, .call(let callee, let arguments, _), _)
    where PHPSourceWriter.receivesAsValue(callee, arguments):
      // `($data = recv …)` inside an expression: PHP's function fills $data; the value is the
      // data, or false as sockshell's is.
      return "(\(try receivedValue(callee, arguments, into: variable, line: line)))"
    case .assign(let target, let operation, let value, _):
      let symbol: String
      switch operation {
      case .plain: symbol = "="
      case .coalesce: symbol = "??="
      case .concat: symbol = ".="
      case .arithmetic(let op): symbol = op.spelling + "="
      }
      return "\(try expression(target, line: line)) \(symbol) \(try operand(value, line: line))"
    case .increment(let target, let delta, let prefix, _):
      let symbol = delta > 0 ? "++" : "--"
      let written = try expression(target, line: line)
      return prefix ? symbol + written : written + symbol
    case .print(let inner, _): return "print " + (try operand(inner, line: line))
    case .exit(let value, _, _):
      guard let value else { return "exit" }
      return "exit(\(try expression(value, line: line)))"
    }
  }

  /// A part a double-quoted string can hold: bytes, a variable, an element of one.
  private static func interpolates(_ item: Expr) -> Bool {
    switch item {
    case .literal(.bytes), .variable: true
    case .index(let base, let key, _): interpolates(base) && { if case .literal = key { true } else { interpolates(key) } }()
    default: false
    }
  }

  /// An operand: in parentheses unless it stands alone.
  func operand(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    let written = try expression(expr, line: line)
    switch expr {
    case .literal(.int(let number)) where number < 0: return "(\(written))"
    case .literal, .variable, .constant, .word, .arrayLiteral, .isset, .empty, .index, .call: return written
    default: return "(\(written))"
    }
  }

  func list(_ items: [Expr], line: Int) throws(SourceExport.Refusal) -> String {
    try items.map { (item) throws(SourceExport.Refusal) -> String in try expression(item, line: line) }
      .joined(separator: ", ")
  }

  func literal(_ value: Value, line: Int) throws(SourceExport.Refusal) -> String {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number): return SourceSyntax.float(number)
    case .bytes(let bytes): return PHPProgramWriter.string(bytes)
    default: throw SourceExport.Refusal("a \(value.kindName) literal has no PHP spelling here", line: line)
    }
  }

  func constant(_ name: String) -> String {
    switch name {
    case "IPPROTO_IP": "0"
    case "IPPROTO_TCP": "SOL_TCP"
    case "IPPROTO_UDP": "SOL_UDP"
    default: name
    }
  }

}
