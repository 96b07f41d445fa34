/// PHP's operators over the syntax tree: arithmetic, comparison, logic, casts and assignment as
/// an expression. The value rules live in Model/PHPOperators.swift; this file reads and writes
/// variables and elements.
extension Interpreter {
  /// PHP's warnings from an operator, as `sockshell: warning:` messages.
  private func warn(_ message: String) { warning(message) }

  private func operate(_ body: () throws(OperatorError) -> Value) throws(ShellError) -> Value {
    do {
      return try body()
    } catch {
      throw ShellError(error.message)
    }
  }

  func evaluateOperator(_ expr: Expr) throws(ShellError) -> Value {
    switch expr {
    case .unary(.silence, let operandExpr, _):
      silenced += 1
      defer { silenced -= 1 }
      return try evaluate(operandExpr)
    case .unary(let op, let operandExpr, _):
      let operand = try evaluate(operandExpr)
      switch op {
      case .silence: return operand
      case .not: return .bool(!operand.isTruthy)
      case .bitNot: return try operate { () throws(OperatorError) in try PHPOperators.bitNot(operand) }
      // PHP computes -x as x * -1 and +x as x * 1, and its errors say so.
      case .negate, .plus:
        return try operate { () throws(OperatorError) in
          try PHPOperators.binary(.multiply, operand, .int(op == .negate ? -1 : 1), warn: warn)
        }
      }
    case .binary(let op, let leftExpr, let rightExpr, _):
      let left = try evaluate(leftExpr)
      let right = try evaluate(rightExpr)
      return try operate { () throws(OperatorError) in try PHPOperators.binary(op, left, right, warn: warn) }
    case .bitOr(let parts):
      var result = try evaluate(parts[0])
      for part in parts.dropFirst() {
        let right = try evaluate(part)
        let left = result
        result = try operate { () throws(OperatorError) in
          try PHPOperators.binary(.bitOr, left, right, warn: warn)
        }
      }
      return result
    case .logical(let op, let leftExpr, let rightExpr, _):
      switch op {
      case .coalesce:
        if let left = try quietValue(leftExpr), left != .null { return left }
        return try evaluate(rightExpr)
      case .and:
        guard try evaluate(leftExpr).isTruthy else { return .bool(false) }
        return .bool(try evaluate(rightExpr).isTruthy)
      case .or:
        if try evaluate(leftExpr).isTruthy { return .bool(true) }
        return .bool(try evaluate(rightExpr).isTruthy)
      case .xor:
        let left = try evaluate(leftExpr).isTruthy
        return .bool(left != (try evaluate(rightExpr).isTruthy))
      }
    case .ternary(let conditionExpr, let middle, let otherwise, _):
      let condition = try evaluate(conditionExpr)
      guard condition.isTruthy else { return try evaluate(otherwise) }
      guard let middle else { return condition }
      return try evaluate(middle)
    case .cast(let type, let operandExpr, _):
      let operand = try evaluate(operandExpr)
      switch type {
      case .int: return .int(operand.phpInt)
      case .float: return .double(operand.phpDouble)
      case .bool: return .bool(operand.isTruthy)
      case .string:
        if case .array = operand { warn("Array to string conversion") }
        return .bytes(operand.phpString)
      case .array:
        switch operand {
        case .array: return operand
        case .null: return .array(PHPArray())
        default: return .list([operand])
        }
      }
    case .assign(let target, let operation, let valueExpr, _):
      return try assignment(target, operation, valueExpr)
    case .increment(let target, let delta, let prefix, _):
      // `$i++` on a variable that is set, a loop's usual step: one lookup, the value replaced where
      // it is.
      if case .variable(let name, _) = target, name != "_", let index = variables.index(forKey: name) {
        let old = variables.values[index]
        let new = try operate { () throws(OperatorError) in try PHPOperators.increment(old, by: delta) }
        variables.values[index] = new
        return prefix ? new : old
      }
      // Read and written back: its keys are evaluated once (`$a[$i++]++` moves $i by one).
      let place = try resolved(target)
      let old = try currentValue(of: place)
      let new = try operate { () throws(OperatorError) in try PHPOperators.increment(old, by: delta) }
      try store(new, into: place)
      return prefix ? new : old
    case .append:
      throw ShellError("'[]' without an index can only be assigned to: $a[] = value")
    default:
      throw ShellError("cannot evaluate this expression")
    }
  }

  private func assignment(_ givenTarget: Expr, _ operation: AssignOperation, _ valueExpr: Expr)
    throws(ShellError) -> Value
  {
    // A compound assignment reads its target and writes it back: the keys are evaluated once, as
    // PHP evaluates them (`$a[$i++] += 1` moves $i by one).
    let target = operation == .plain ? givenTarget : try resolved(givenTarget)
    let value: Value
    switch operation {
    case .plain:
      value = try evaluate(valueExpr)
    case .coalesce:
      if let existing = try quietValue(target), existing != .null { return existing }
      value = try evaluate(valueExpr)
    case .concat:
      return try appendInPlace(target, valueExpr)
    case .arithmetic(let op):
      let left = try currentValue(of: target)
      let right = try evaluate(valueExpr)
      value = try operate { () throws(OperatorError) in try PHPOperators.binary(op, left, right, warn: warn) }
    }
    try store(value, into: target)
    return value
  }

  /// `$s .= x`: the bytes appended to the string where it is stored, not copied into a new one,
  /// so a loop that gathers what a socket reads costs what it reads.
  private func appendInPlace(_ target: Expr, _ valueExpr: Expr) throws(ShellError) -> Value {
    let right = try text(of: try evaluate(valueExpr))
    if try quietValue(target) == nil { _ = try currentValue(of: target) }
    // `$_` may hold the string from the last `.=`: it is replaced at the end of this statement
    // anyway, and letting go of it now leaves the string with one owner, to append to in place.
    lastValue = .null
    return try modify(target) { (slot: inout Value?) throws(ShellError) -> Value in
      var bytes: [UInt8]
      if case .bytes(let existing)? = slot {
        bytes = existing
        // Let go of the slot's reference, so the bytes are appended where they are.
        slot = .null
      } else {
        bytes = try text(of: slot ?? .null)
      }
      guard right.count <= Value.maximumStringLength - bytes.count else {
        slot = .bytes(bytes)
        throw ShellError(
          "'.=' would make a string of more than \(Value.maximumStringLength) bytes, the most a script can build")
      }
      bytes += right
      slot = .bytes(bytes)
      // The value of the assignment: a copy only when it is used (a statement drops it).
      return slot!
    }
  }

  /// A value as `.` and echo write it: an array is "Array", with PHP's warning.
  func text(of value: Value) throws(ShellError) -> [UInt8] {
    if case .array = value { warn("Array to string conversion") }
    return value.textBytes
  }

  /// The target with its keys evaluated to literals, so that reading it and writing it back do
  /// not run a key's side effects twice. A variable is its own place.
  func resolved(_ target: Expr) throws(ShellError) -> Expr {
    switch target {
    case .index(let base, let keyExpr, let column):
      if case .literal = keyExpr { return .index(try resolved(base), keyExpr, column: column) }
      return .index(try resolved(base), .literal(try evaluate(keyExpr)), column: column)
    case .append(let base, let column):
      return .append(try resolved(base), column: column)
    default:
      return target
    }
  }

  /// What a compound assignment or `++` starts from: an unset variable or element is null, with
  /// PHP's warning.
  private func currentValue(of target: Expr) throws(ShellError) -> Value {
    if let value = try quietValue(target) { return value }
    switch target {
    case .variable(let name, _): warn("Undefined variable $\(name)")
    case .index(_, let keyExpr, _): warn("Undefined array key \(try arrayKey(try evaluate(keyExpr)).shown)")
    default: break
    }
    return .null
  }
}
