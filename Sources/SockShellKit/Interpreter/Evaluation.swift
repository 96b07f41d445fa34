/// Statements and expressions: what a parsed line does.
extension Interpreter {
  func execute(_ statement: Statement) throws(ShellError) {
    var value: Value
    switch statement.kind {
    case .echo(let items):
      // Each item is written once evaluated, as PHP does: `echo "a", f()` prints "a" before
      // whatever f() prints.
      for item in items { output.write(try text(of: try evaluate(item))) }
      value = .null
      if statement.orDie == nil { return }
    case .assign(let name, let expr, let onlyIfUnset):
      if name == "_" { throw ShellError("$_ holds the last result and cannot be assigned") }
      if onlyIfUnset, let existing = variables[name], existing != .null { return }
      value = try evaluate(expr, annotation: name, isStatement: false)
      variables[name] = value
    case .destructure(let names, let expr):
      value = try evaluate(expr, annotation: nil, isStatement: false)
      guard case .array(let items) = value else {
        throw ShellError("cannot unpack \(value.kindName) into \(names.count) variables; an array is needed")
      }
      for (position, name) in names.enumerated() {
        guard let name else { continue }
        if let item = items[.int(position)] {
          variables[name] = item
        } else {
          warning("Undefined array key \(position)")
          variables[name] = .null
        }
      }
    case .expression(let expr):
      lastCommand = nil
      value = try evaluate(expr, annotation: nil, isStatement: true)
      // A call's command is the last one invoked, its arguments' calls all came before.
      if case .call = expr, let spec = lastCommand, !spec.family.showsValueOfBareCall {
        // Commands show themselves: through the echo, or their own report.
      } else if Interpreter.isAssignment(expr) {
        // `$a[] = 1` and `$n++` are statements that set, as `$x = 1` is: nothing to show.
      } else if value != .null && settings.echo != .off && !inProgram {
        // With the echo off (`-q`) the output is the program's own, as PHP, which shows no
        // value of a bare expression, prints it.
        output.write(Array(("=> " + value.literal + "\n").utf8))
      }
    }
    lastValue = value
    if let orDie = statement.orDie, !value.isTruthy {
      if let message = orDie {
        output.write(try evaluate(message).textBytes)
      }
      if settings.interactive {
        abandonLine = true
      } else {
        stop(status: 1)
      }
    }
  }

  static func isAssignment(_ expr: Expr) -> Bool {
    switch expr {
    case .assign, .increment: true
    // `$ok = f() and g()` assigns first, as PHP groups it: still a statement that sets.
    case .logical(_, let left, _, _): isAssignment(left)
    default: false
    }
  }

  // MARK: - Expressions

  public func evaluate(_ expr: Expr) throws(ShellError) -> Value {
    try evaluate(expr, annotation: nil, isStatement: false)
  }

  private func evaluate(_ expr: Expr, annotation: String?, isStatement: Bool) throws(ShellError) -> Value {
    switch expr {
    case .literal(let value), .constant(_, let value):
      return value
    case .word(let word):
      return .string(word)
    case .variable(let name, _):
      return variableValue(name)
    case .arrayLiteral, .index, .isset, .empty, .unset:
      // Apart, so that their locals do not widen this function's frame, which each level of a
      // recursive PHP function takes again.
      return try evaluateArrayExpression(expr)
    case .unary(.silence, let inner, _) where annotation != nil || isStatement:
      // `$s = @socket_create(…)`: the call is still the statement's, its echo names `$s`.
      silenced += 1
      defer { silenced -= 1 }
      return try evaluate(inner, annotation: annotation, isStatement: isStatement)
    case .bitOr, .unary, .binary, .logical, .ternary, .cast, .assign, .increment, .append:
      return try evaluateOperator(expr)
    case .print, .exit:
      return try evaluateConstruct(expr)
    case .concat(let parts):
      var bytes: [UInt8] = []
      for part in parts {
        let next = try text(of: try evaluate(part))
        guard next.count <= Value.maximumStringLength - bytes.count else {
          throw ShellError(
            "'.' would make a string of more than \(Value.maximumStringLength) bytes, the most a script can build")
        }
        bytes += next
      }
      return .bytes(bytes)
    case .interpolated(let parts):
      var bytes: [UInt8] = []
      for part in parts {
        let value = try evaluate(part)
        // PHP warns as it writes an array into a string as "Array".
        if case .array = value { warning("Array to string conversion") }
        let next = value.phpString
        guard next.count <= Value.maximumStringLength - bytes.count else {
          throw ShellError(
            "the string would hold more than \(Value.maximumStringLength) bytes, the most a script can build")
        }
        bytes += next
      }
      return .bytes(bytes)
    case .call(let name, let argumentExprs, _):
      guard let spec = table.lookup(name) else {
        // A program's own function: no sockshell command has its name (the parser sees to it).
        if !userFunctions.isEmpty, let function = userFunctions[name.lowercased()] {
          let value = try call(function, argumentExprs)
          lastCommand = nil
          return value
        }
        throw ShellError(
          "unknown command or function '\(name)'" + Interpreter.didYouMean(table.suggestions(for: name)))
      }
      // A script makes a call or two per line: their argument arrays are reused, not reallocated.
      var arguments = spareArguments.popLast() ?? []
      defer {
        arguments.clearKeepingCapacity()
        spareArguments.append(arguments)
      }
      try argumentExprs.withUnsafeBufferPointer { (exprs) throws(ShellError) in
        for position in exprs.indices {
          arguments.append(try argument(exprs[position], position: position, of: spec))
        }
      }
      return try invoke(
        spec, typedName: name, arguments: arguments, annotation: annotation, isStatement: isStatement)
    }
  }

  /// One argument of a call, with the variable or the constant it was written as.
  private func argument(_ expr: Expr, position: Int, of spec: CommandSpec) throws(ShellError) -> CallArgument
  {
    switch expr {
    case .literal(let value):
      return CallArgument(value: value, variable: nil)
    case .constant(let name, let value):
      return CallArgument(value: value, variable: nil, constant: name)
    case .variable(let name, _):
      // Most commands have no by-reference positions: test that before any dictionary lookup.
      if !spec.outArguments.isEmpty, spec.outArguments.contains(position), name != "_", variables[name] == nil
      {
        // PHP's by-reference argument: the command fills the variable.
        return CallArgument(value: .null, variable: name)
      }
      return CallArgument(value: variableValue(name), variable: name)
    default:
      return CallArgument(value: try evaluate(expr), variable: nil)
    }
  }

  private func invoke(
    _ spec: CommandSpec, typedName: String, arguments: [CallArgument], annotation: String?, isStatement: Bool
  ) throws(ShellError) -> Value {
    if spec.mayBlock { output.flush() }
    var invocation = Invocation(
      interpreter: self, spec: spec, typedName: typedName, arguments: arguments, isStatement: isStatement)
    lastCommand = spec
    var value: Value = .null
    notices.holding = true
    defer {
      echoes.commandDone(
        output: output, mode: settings.echo, handles: spec.createsHandles ? value : .null, variable: annotation,
        hint: { hint(after: $0) })
      journal?.commandDone(created: spec.createsHandles ? value.handleNumbers : 0..<0, variable: annotation)
      releaseNotices()
    }
    value = try spec.run(&invocation)
    return value
  }
}
