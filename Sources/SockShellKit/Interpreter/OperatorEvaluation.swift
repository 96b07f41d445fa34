/// PHP's operators over the syntax tree: arithmetic, comparison, logic, casts and assignment as
/// an expression. The value rules live in Model/PHPOperators.swift; this file reads and writes
/// variables and elements.
extension Interpreter {
  /// PHP's warnings from an operator, as `sockshell: warning:` messages.
  private func warn(_ message: String) { notice("warning: " + message) }

  private func operate(_ body: () throws(OperatorError) -> Value) throws(ShellError) -> Value {
    do {
      return try body()
    } catch {
      throw ShellError(error.message)
    }
  }

  func evaluateOperator(_ expr: Expr) throws(ShellError) -> Value {
    switch expr {
    case .unary(let op, let operandExpr, _):
      let operand = try evaluate(operandExpr)
      switch op {
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
        if case .list = operand { warn("Array to string conversion") }
        return .bytes(operand.phpString)
      case .array:
        switch operand {
        case .list: return operand
        case .null: return .list([])
        default: return .list([operand])
        }
      }
    case .assign(let target, let operation, let valueExpr, _):
      return try assignment(target, operation, valueExpr)
    case .increment(let target, let delta, let prefix, _):
      let old = try currentValue(of: target)
      let new = try operate { () throws(OperatorError) in try PHPOperators.increment(old, by: delta) }
      try store(new, into: target)
      return prefix ? new : old
    case .append:
      throw ShellError("'[]' without an index can only be assigned to: $a[] = value")
    default:
      throw ShellError("cannot evaluate this expression")
    }
  }

  private func assignment(_ target: Expr, _ operation: AssignOperation, _ valueExpr: Expr) throws(ShellError)
    -> Value
  {
    let value: Value
    switch operation {
    case .plain:
      value = try evaluate(valueExpr)
    case .coalesce:
      if let existing = try quietValue(target), existing != .null { return existing }
      value = try evaluate(valueExpr)
    case .concat:
      let left = try currentValue(of: target).textBytes
      let right = try evaluate(valueExpr).textBytes
      guard right.count <= Value.maximumStringLength - left.count else {
        throw ShellError(
          "'.=' would make a string of more than \(Value.maximumStringLength) bytes, the most a script can build")
      }
      value = .bytes(left + right)
    case .arithmetic(let op):
      let left = try currentValue(of: target)
      let right = try evaluate(valueExpr)
      value = try operate { () throws(OperatorError) in try PHPOperators.binary(op, left, right, warn: warn) }
    }
    try store(value, into: target)
    return value
  }

  /// The value of a variable or an element, or nil when it is not set: what `??` and `??=` read,
  /// without a warning.
  func quietValue(_ expr: Expr) throws(ShellError) -> Value? {
    switch expr {
    case .variable(let name, _):
      return name == "_" ? lastValue : variables[name]
    case .index(let base, let keyExpr, _):
      guard let container = try quietValue(base) else { return nil }
      let key = try evaluate(keyExpr)
      guard let position = Interpreter.listKey(key) else { return nil }
      switch container {
      case .list(let items): return items.indices.contains(position) ? items[position] : nil
      case .bytes(let bytes):
        let at = position < 0 ? bytes.count + position : position
        return bytes.indices.contains(at) ? .bytes([bytes[at]]) : nil
      default: return nil
      }
    default:
      return try evaluate(expr)
    }
  }

  /// What a compound assignment or `++` starts from: an unset variable or element is null, with
  /// PHP's warning.
  private func currentValue(of target: Expr) throws(ShellError) -> Value {
    if let value = try quietValue(target) { return value }
    switch target {
    case .variable(let name, _): warn("Undefined variable $\(name)")
    case .index(_, let keyExpr, _): warn("Undefined array key \(try evaluate(keyExpr).literal)")
    default: break
    }
    return .null
  }

  /// An integer key of a list: ints, and what PHP turns into one (bools, floats, "3").
  static func listKey(_ key: Value) -> Int? {
    switch key {
    case .int(let n): n
    case .bool(let flag): flag ? 1 : 0
    case .double(let d): Value.wrappingInt(d)
    case .bytes(let bytes):
      if case .int(let n) = NumericString(bytes).number, NumericString(bytes).form == .numeric { n } else { nil }
    default: nil
    }
  }

  /// Writes a value into a variable, an element (`$a[1] = x`) or the end of a list (`$a[] = x`).
  /// sockshell's lists have the keys 0…n-1, so an element can replace one or extend by one.
  func store(_ value: Value, into target: Expr) throws(ShellError) {
    switch target {
    case .variable(let name, _):
      if name == "_" { throw ShellError("$_ holds the last result and cannot be assigned") }
      variables[name] = value
    case .index(let base, _, _), .append(let base, column: _):
      var items: [Value]
      switch try quietValue(base) {
      case nil, .null?: items = []
      case .list(let existing)?: items = existing
      case let other?:
        throw ShellError("cannot set an element of \(other.kindName); only lists have elements to set")
      }
      if case .index(_, let keyExpr, _) = target {
        let key = try evaluate(keyExpr)
        guard let position = Interpreter.listKey(key) else {
          throw ShellError("an index must be an integer, not \(key.kindName)")
        }
        if items.indices.contains(position) {
          items[position] = value
        } else if position == items.count {
          items.append(value)
        } else {
          throw ShellError(
            "index \(position) is beyond the end of a list of \(items.count); lists have the keys 0 to \(items.count)")
        }
      } else {
        items.append(value)
      }
      let list = Value.list(items)
      if case .list = value {
        let shape = list.listShape()
        guard shape.depth <= Value.maximumNesting else {
          throw ShellError("lists would nest more than \(Value.maximumNesting) deep")
        }
        guard shape.values <= Value.maximumListValues else {
          throw ShellError("lists would hold more than \(Value.maximumListValues) values in all")
        }
      } else if items.count > Value.maximumListValues {
        throw ShellError("lists would hold more than \(Value.maximumListValues) values in all")
      }
      try store(list, into: base)
    default:
      throw ShellError("only a variable or an element of a list can be assigned")
    }
  }
}
