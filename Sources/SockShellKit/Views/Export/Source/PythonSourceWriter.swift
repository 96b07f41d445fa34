/// A script's syntax tree as a Python 3 program: PHP's statements as Python's (`while`, `for …
/// in`, `def`), strings as bytes (the data on the wire is bytes), arrays as dicts (PHP's arrays
/// are ordered maps, and so are Python's dicts), each socket call through `attempt`, which turns
/// an OSError into the `False` a failed call is in PHP. The calls and their helpers are in
/// PythonSourceWriter+Calls.swift.
struct PythonSourceWriter {
  let tree: ScriptTree
  var out = SourceLines()
  /// The helpers and modules the program uses, written before it.
  var helpers: Set<String> = []
  var modules: Set<String> = []
  /// Variables that hold an array: `$b = $a` copies one, as PHP does.
  var arrays: Set<String> = []
  /// Variables assigned so far, in the order the text assigns them (for `??=`).
  var assigned: Set<String> = []
  /// The loops around the statement being written: a `for` or `do … while` whose step or test
  /// a `continue` would skip in Python.
  var loops: [LoopKind] = []
  /// Loops (by their place in `loops`) that a `break N` or `continue N` further in leaves or
  /// goes on with: Python's break leaves one loop, so a flag carries it out through the others.
  var pendingBreaks: Set<Int> = []
  var pendingContinues: Set<Int> = []
  /// The line of the statement being written, for a refusal.
  var line = 0
  /// Inside a function's body (a `return` at the top level ends the program).
  var inFunction = false

  /// What a `continue` must do first in Python's `while`: a for loop's step, a do-while's test.
  enum LoopKind {
    case plain
    case doWhile(Condition)
    case forLoop(steps: [Expr], line: Int)
    /// A switch: no loop in Python, but PHP counts it for break and continue.
    case switchBlock
  }

  /// The Python loops from `target` in to `index` (not counting either): none means the code after
  /// loop `index` is directly in loop `target`.
  func loopsBetween(_ target: Int, _ index: Int) -> Int {
    guard target + 1 < index else { return 0 }
    return loops[(target + 1)..<index].filter { if case .switchBlock = $0 { false } else { true } }.count
  }

  static let reserved: Set<String> =
    PythonProgramWriter.naming.reserved.union([
      "attempt", "as_bytes", "out", "accept", "pair", "receive_from", "address", "read_line", "push", "search", "select_ready",
      "last_errno", "time", "select", "len", "int", "str", "bytes", "dict", "list", "range", "bool",
      "float", "type", "id", "input", "max", "min", "sock_name",
      // The helpers' own names, and the builtins they call.
      "truthy", "at", "to_int", "divide", "php_float", "strpos", "substr", "search", "push", "select_ready",
      "read_line", "copy_array", "receive_cut", "isinstance", "locals", "enumerate", "sum", "abs", "sorted", "zip",
      "globals", "print", "open", "repr", "object", "iter", "next", "all", "any", "map", "filter", "format",
    ])

  init(_ tree: ScriptTree) { self.tree = tree }

  mutating func text() throws(SourceExport.Refusal) -> String {
    var functions = SourceLines()
    for function in tree.functions {
      swap(&out, &functions)
      try write(function)
      swap(&out, &functions)
    }
    for statement in tree.statements { try write(statement) }
    var lines = ["#!/usr/bin/env python3", "\"\"\"" + SourceExport.preamble(.python)[0]]
    lines += SourceExport.preamble(.python).dropFirst()
    lines.append("\"\"\"")
    // The helpers the program calls, and those their own text calls.
    var needed = helpers
    var grown = true
    while grown {
      let texts = needed.flatMap { PythonSourceWriter.helperText[$0] ?? [] }
      let more = needed.union(PythonSourceWriter.helperOrder.filter { CSourceWriter.calls($0, in: texts) })
      grown = more.count > needed.count
      needed = more
    }
    lines += modules.union(needed.flatMap { PythonSourceWriter.helperModules[$0] ?? [] }).sorted().map {
      "import " + $0
    }
    for helper in PythonSourceWriter.helperOrder where needed.contains(helper) {
      lines += ["", ""] + PythonSourceWriter.helperText[helper]!
    }
    lines += functions.lines.isEmpty ? [] : [""] + functions.lines
    lines += ["", ""] + out.lines
    while lines.last == "" { lines.removeLast() }
    return lines.joined(separator: "\n") + "\n"
  }

  func name(_ variable: String) -> String {
    if variable == "argv" || variable == "argc" { return variable }
    return PythonSourceWriter.reserved.contains(variable) ? variable + "_" : variable
  }

  // MARK: - Statements

  private mutating func write(_ function: UserFunction) throws(SourceExport.Refusal) {
    var parameters: [String] = []
    for parameter in function.parameters {
      if parameter.byReference {
        throw SourceExport.Refusal(
          "\(function.name)() takes &$\(parameter.name) by reference, which Python has no way to say", line: function.line)
      }
      if case .arrayLiteral = parameter.defaultValue {
        // A dict as a default would be one dict for every call: made at each call instead.
        parameters.append(name(parameter.name) + "=None")
      } else {
        parameters.append(
          name(parameter.name) + (try parameter.defaultValue.map { (value) throws(SourceExport.Refusal) -> String in
            "=" + (try expression(value, line: function.line))
          } ?? ""))
      }
    }
    out.add("")
    out.add("def \(name(function.name))(\(parameters.joined(separator: ", "))):")
    let outer = (assigned, loops)
    assigned = Set(function.parameters.map(\.name))
    loops = []
    inFunction = true
    defer { inFunction = false }
    out.depth += 1
    let start = out.lines.count
    for parameter in function.parameters {
      let variable = name(parameter.name)
      if case .arrayLiteral = parameter.defaultValue {
        out.add("if \(variable) is None:")
        out.add(out.unit + "\(variable) = \(try expression(parameter.defaultValue!, line: function.line))")
      }
      if PythonSourceWriter.changesArray(parameter.name, in: function.body) {
        // PHP passes an array by value: the caller's is not changed.
        helpers.insert("copy_array")
        out.add("\(variable) = copy_array(\(variable))")
      }
    }
    for statement in function.body { try write(statement) }
    if out.lines.count == start { out.add("pass") }
    out.depth -= 1
    (assigned, loops) = outer
  }

  mutating func write(_ statement: ProgramStatement) throws(SourceExport.Refusal) {
    switch statement {
    case .simple(let simple, let line):
      self.line = line
      try write(simple, line: line)
    case .block(let inner): for item in inner { try write(item) }
    case .conditional(let branches, let otherwise):
      for (position, (condition, body)) in branches.enumerated() {
        manPages(condition.expr)
        out.add((position == 0 ? "if " : "elif ") + (try truth(condition.expr, line: condition.line)) + ":")
        try block(body, loop: nil)
      }
      if let otherwise {
        out.add("else:")
        try block(otherwise, loop: nil)
      }
    case .whileLoop, .doWhile, .forLoop, .foreach:
      let start = out.lines.count
      let index = loops.count
      try writeLoop(statement)
      try finishLoop(start: start, index: index)
    case .switchOn(let condition, let cases): try writeSwitch(condition, cases)
    case .breakLoops(let count), .continueLoops(let count):
      let isBreak = if case .breakLoops = statement { true } else { false }
      let target = loops.count - count
      guard target >= 0 else { throw SourceExport.Refusal("\(isBreak ? "break" : "continue") \(count) has too few loops around it", line: line) }
      if case .switchBlock = loops[target] {
        throw SourceExport.Refusal(
          "a break or continue inside a case that leaves its switch from there has no Python spelling: end the case with it",
          line: line)
      }
      // The switches between are no loops in Python.
      if loopsBetween(target, loops.count) > 0 {
        // Out through the loops between: a flag that each of them looks at as it ends.
        if isBreak {
          pendingBreaks.insert(target)
          out.add("leave_\(target) = True")
        } else {
          pendingContinues.insert(target)
          out.add("next_\(target) = True")
        }
        out.add("break")
        return
      }
      if isBreak { return out.add("break") }
      try writeContinue(loops[target])
    case .returnValue(let value, _) where !inFunction:
      // At the top level, PHP's return ends the program (its value goes nowhere).
      if let value { try writeEffect(value, line: line) }
      modules.insert("sys")
      out.add("sys.exit(0)")
    case .returnValue(let value, let line):
      if let value { manPages(value) }
      out.add(try value.map { (value) throws(SourceExport.Refusal) -> String in
        "return " + (try expression(value, line: line))
      } ?? "return")
    case .global(let names): out.add("global " + names.map(name).joined(separator: ", "))
    case .text(let bytes):
      helpers.insert("out")
      out.add("out(\(PythonProgramWriter.bytes(bytes)))")
    case .empty: break
    }
  }

  /// After the loop at `index` (written from `start`): the flags of a `break N` or `continue N`
  /// inside it that reach further out are set false before it and looked at after it.
  private mutating func finishLoop(start: Int, index: Int) throws(SourceExport.Refusal) {
    let indent = String(repeating: out.unit, count: out.depth)
    let flags = pendingBreaks.filter { $0 < index }.map { ($0, true) } + pendingContinues.filter { $0 < index }.map { ($0, false) }
    for (target, leaving) in flags.sorted(by: { ($0.0, $0.1 ? 1 : 0) > ($1.0, $1.1 ? 1 : 0) }) {
      let flag = leaving ? "leave_\(target)" : "next_\(target)"
      out.lines.insert(indent + "\(flag) = False", at: start)
      out.add("if \(flag):")
      out.depth += 1
      if !leaving && loopsBetween(target, index) == 0 {
        try writeContinue(loops[target])
      } else {
        out.add("break")
      }
      out.depth -= 1
    }
    pendingBreaks.remove(index)
    pendingContinues.remove(index)
  }

  /// `continue` in the innermost loop: a for loop's step first, or a do-while's test.
  private mutating func writeContinue(_ loop: LoopKind) throws(SourceExport.Refusal) {
    switch loop {
    case .doWhile(let condition):
      out.add("if not \(try truth(condition.expr, line: condition.line, asOperand: true)):")
      out.depth += 1
      out.add("break")
      out.depth -= 1
    case .forLoop(let steps, let line):
      for step in steps { try writeEffect(step, line: line) }
    default: break
    }
    out.add("continue")
  }

  private mutating func writeLoop(_ statement: ProgramStatement) throws(SourceExport.Refusal) {
    switch statement {
    case .whileLoop(let condition, let body):
      manPages(condition.expr)
      out.add("while \(try truth(condition.expr, line: condition.line)):")
      try block(body, loop: .plain)
    case .doWhile(let body, let condition):
      out.add("while True:")
      if case .literal(.bool(true)) = condition.expr {
        return try block(body, loop: .plain)
      }
      if case .constant(_, .bool(true)) = condition.expr {
        return try block(body, loop: .plain)
      }
      try block(body, loop: .doWhile(condition))
      out.depth += 1
      out.add("if not \(try truth(condition.expr, line: condition.line, asOperand: true)):")
      out.depth += 1
      out.add("break")
      out.depth -= 2
    case .forLoop(let initial, let conditions, let steps, let line, let body):
      for part in initial { try writeEffect(part, line: line) }
      let tests = try conditions.map { (item) throws(SourceExport.Refusal) -> String in
        try truth(item, line: line)
      }
      // PHP evaluates every condition and the last decides; the ones before are for their effects.
      guard tests.count <= 1 else {
        throw SourceExport.Refusal("a for loop with several conditions has no Python spelling here", line: line)
      }
      out.add("while \(tests.first ?? "True"):")
      try block(body, loop: .forLoop(steps: steps, line: line))
      out.depth += 1
      for step in steps { try writeEffect(step, line: line) }
      out.depth -= 1
    case .foreach(let condition, let key, let value, let byReference, let body):
      if byReference {
        throw SourceExport.Refusal("foreach with &$\(value) changes the array through a reference: not written in Python", line: condition.line)
      }
      manPages(condition.expr)
      let subject = try operand(condition.expr, line: condition.line)
      assigned.insert(value)
      if let key {
        assigned.insert(key)
        out.add("for \(name(key)), \(name(value)) in list(\(subject).items()):")
      } else {
        out.add("for \(name(value)) in list(\(subject).values()):")
      }
      try block(body, loop: .plain)
    default: break
    }
  }

  private mutating func block(_ body: ProgramStatement, loop: LoopKind?) throws(SourceExport.Refusal) {
    if let loop { loops.append(loop) }
    out.depth += 1
    let start = out.lines.count
    try write(body)
    if out.lines.count == start { out.add("pass") }
    out.depth -= 1
    if loop != nil { loops.removeLast() }
  }

  private mutating func write(_ statement: Statement, line: Int) throws(SourceExport.Refusal) {
    if let orDie = statement.orDie {
      // `or die(…)`: the statement's value decides; a script ends with 1, PHP's die with 0.
      let value: String
      switch statement.kind {
      case .assign(let target, let expr, _):
        manPages(expr)
        helpers.insert("truthy")
        value = "truthy(\(name(target)) := \(try expression(expr, line: line)))"
        assigned.insert(target)
      case .expression(let expr):
        manPages(expr)
        value = try truth(expr, line: line, asOperand: true)
      default: throw SourceExport.Refusal("`or die` after this statement is not written in Python", line: line)
      }
      out.add("if not \(value):")
      out.depth += 1
      if let message = orDie {
        helpers.insert("out")
        out.add("out(\(try expression(message, line: line)))")
      }
      modules.insert("sys")
      out.add(tree.isPHP ? "sys.exit(0)" : "sys.exit(1)")
      out.depth -= 1
      return
    }
    switch statement.kind {
    case .expression(let expr): try writeEffect(expr, line: line)
    case .assign(let target, .call(let callee, let arguments, _), false)
    where PythonSourceWriter.receivesIntoVariables(callee, arguments):
      // PHP's recv and recvfrom fill variables and count: the call, then the count of what came.
      manPages(.call(name: callee, arguments: arguments, column: 0))
      guard let call = try statementCall(callee, arguments, line: line),
        case .variable(let buffer, _) = arguments[1]
      else { throw SourceExport.Refusal("`\(callee)` is not written in Python here", line: line) }
      out.add(call)
      out.add("\(name(target)) = len(\(name(buffer))) if \(name(buffer)) is not False else False")
      assigned.insert(target)
    case .assign(let target, let value, let onlyIfUnset):
      manPages(value)
      let written = try assignedValue(value, line: line)
      if onlyIfUnset && assigned.contains(target) {
        out.add("if \(name(target)) is None:")
        out.depth += 1
        out.add("\(name(target)) = \(written)")
        out.depth -= 1
      } else {
        out.add("\(name(target)) = \(written)")
      }
      assigned.insert(target)
      if isArray(value) { arrays.insert(target) }
    case .destructure(let names, let value):
      manPages(value)
      let written = try expression(value, line: line)
      for target in names.compactMap({ $0 }) { assigned.insert(target) }
      out.add(names.map { $0.map(name) ?? "_" }.joined(separator: ", ") + " = list(\(written).values())")
    case .echo(let items):
      for item in items { manPages(item) }
      helpers.insert("out")
      out.add(
        "out("
          + (try items.map { (item) throws(SourceExport.Refusal) -> String in try expression(item, line: line) })
          .joined(separator: ", ") + ")")
    }
  }

  mutating func manPages(_ expr: Expr) {
    let pages = SourceSyntax.manPages(in: expr)
    if !pages.isEmpty { out.add("# " + pages.joined(separator: ", ")) }
  }
}
