/// Statements made for their effect in Python: assignments, `++`, unset, calls, exits.
extension PythonSourceWriter {
  /// An expression made for its effect, as a statement: an assignment, `++`, a call.
  mutating func writeEffect(_ expr: Expr, line: Int) throws(SourceExport.Refusal) {
    manPages(expr)
    switch expr {
    case .assign(let target, let operation, let value, _):
      let written = try assignedValue(value, line: line)
      if case .append(let base, _) = target {
        helpers.insert("push")
        out.add("push(\(try container(base, line: line)), \(written))")
        return
      }
      let left = try self.target(target, line: line)
      var unset = false
      if case .variable(let variable, _) = target {
        unset = !assigned.contains(variable)
        assigned.insert(variable)
        if isArray(value) { arrays.insert(variable) }
      }
      switch operation {
      case .plain: out.add("\(left) = \(written)")
      case .coalesce where unset: out.add("\(left) = \(written)")
      case .coalesce:
        out.add("if \(left) is None:")
        out.depth += 1
        out.add("\(left) = \(written)")
        out.depth -= 1
      case .concat:
        helpers.insert("as_bytes")
        if unset {
          out.add("\(left) = as_bytes(locals().get(\"\(left)\")) + as_bytes(\(written))")
        } else {
          out.add("\(left) = as_bytes(\(left)) + as_bytes(\(written))")
        }
      case .arithmetic(let op):
        guard let symbol = PythonSourceWriter.arithmetic[op] else {
          throw SourceExport.Refusal("\(op.spelling)= has no Python spelling here", line: line)
        }
        out.add("\(left) \(symbol)= \(written)")
      }
    case .logical(.or, let left, let exit, _):
      // `f() or die("…")`: the exit, when the left side is false.
      guard case .exit = exit else { return out.add(try expression(expr, line: line)) }
      out.add("if not \(try truth(left, line: line, asOperand: true)):")
      out.depth += 1
      try writeEffect(exit, line: line)
      out.depth -= 1
    case .increment(let target, let delta, _, _):
      out.add("\(try expression(target, line: line)) \(delta > 0 ? "+" : "-")= 1")
    case .unset(let items):
      for item in items {
        switch item {
        case .index(let base, let key, _):
          out.add("\(try operand(base, line: line)).pop(\(try expression(key, line: line)), None)")
        case .variable(let variable, _): out.add("\(name(variable)) = None")
        default: throw SourceExport.Refusal("unset of this is not written in Python", line: line)
        }
      }
    case .print(let inner, _):
      helpers.insert("out")
      out.add("out(\(try expression(inner, line: line)))")
    case .exit(let value, let scriptRules, _):
      modules.insert("sys")
      guard let value else { return out.add("sys.exit(0)") }
      if case .literal(.int(let status)) = value { return out.add("sys.exit(\(status))") }
      helpers.insert("out")
      out.add("out(\(try expression(value, line: line)))")
      out.add(scriptRules && !tree.isPHP ? "sys.exit(1)" : "sys.exit(0)")
    case .call(let callee, let arguments, _):
      if let statement = try statementCall(callee, arguments, line: line) {
        out.add(statement)
      } else {
        out.add(try expression(expr, line: line))
      }
    default: out.add(try expression(expr, line: line))
    }
  }

  /// recv or recvfrom in PHP's form, which fills variables.
  static func receivesIntoVariables(_ callee: String, _ arguments: [Expr]) -> Bool {
    guard let command = ScriptTree.commands.lookup(callee)?.name, let shape = TransferShape(command, arguments)
    else { return false }
    switch shape {
    case .recv(_, _, _, .some), .recvfrom(_, _, _, .some): return true
    default: return false
    }
  }

  /// Whether the statements change `variable` as an array: store into it, append, unset in it.
  static func changesArray(_ variable: String, in statements: [ProgramStatement]) -> Bool {
    func root(_ expr: Expr) -> String? {
      switch expr {
      case .variable(let name, _): name
      case .index(let base, _, _), .append(let base, _): root(base)
      default: nil
      }
    }
    var changes = false
    SourceSyntax.forEachExpression(in: statements) { expr in
      var stack = [expr]
      while let next = stack.popLast() {
        switch next {
        case .assign(let target, _, let value, _):
          if target.variableName == nil, root(target) == variable { changes = true }
          stack.append(value)
        case .unset(let items):
          if items.contains(where: { if case .index = $0 { root($0) == variable } else { false } }) { changes = true }
        case .increment(let target, _, _, _):
          if case .index = target, root(target) == variable { changes = true }
        case .call(_, let arguments, _): stack += arguments
        case .binary(_, let left, let right, _), .logical(_, let left, let right, _): stack += [left, right]
        default: break
        }
      }
    }
    return changes
  }

  /// The right side of an assignment: an array copied, as PHP's assignment copies one.
  mutating func assignedValue(_ value: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    if case .variable(let source, _) = value, arrays.contains(source) {
      helpers.insert("copy_array")
      return "copy_array(\(name(source)))"
    }
    return try expression(value, line: line)
  }

  func isArray(_ value: Expr) -> Bool {
    switch value {
    case .arrayLiteral: true
    case .variable(let source, _): arrays.contains(source)
    case .call(let callee, _, _):
      ["array_keys", "array_values", "array_merge", "explode", "range"].contains(callee.lowercased())
    default: false
    }
  }
}
