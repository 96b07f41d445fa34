/// Reading, writing and removing variables and array elements as PHP does: a missing one reads
/// as null with PHP's warning, an assignment creates the arrays on its path, and a change deep in
/// an array is made in place, so appending to a list or to a string inside one does not copy it.
extension Interpreter {
  /// The key PHP makes of a value used as an array index: integers as they are, decimal strings
  /// as integers, booleans as 0 and 1, floats cut to integers (with PHP's deprecation when a
  /// fraction is lost), null as "".
  func arrayKey(_ key: Value) throws(ShellError) -> ArrayKey {
    switch key {
    case .int(let number): return .int(number)
    case .bytes(let bytes): return ArrayKey(string: bytes)
    case .bool(let flag): return .int(flag ? 1 : 0)
    case .null: return .string([])
    case .double(let number):
      let whole = Value.wrappingInt(number)
      if Double(whole) != number {
        warning(
          "Deprecated: Implicit conversion from float \(String(decoding: FloatText.echo(number), as: UTF8.self)) "
            + "to int loses precision")
      }
      return .int(whole)
    case .array: throw ShellError("Illegal offset type: an array cannot be an array key")
    case .handle, .iovec: throw ShellError("Illegal offset type: \(key.kindName) cannot be an array key")
    }
  }

  /// `$x` read: PHP's warning and null when it is not set (with the closest name there is).
  func variableValue(_ name: String) -> Value {
    if name == "_" { return lastValue }
    if let value = variables[name] { return value }
    warning(
      "Undefined variable $\(name)"
        + Interpreter.didYouMean(EditDistance.closest(to: name, in: Array(variables.keys)).map { "$" + $0 }))
    return .null
  }

  /// `CONTAINER[KEY]` read: an array's element, a string's byte (negative counts from the end), or
  /// null with PHP's warning.
  func element(of container: Value, key keyValue: Value) throws(ShellError) -> Value {
    switch container {
    case .array(let array):
      let key = try arrayKey(keyValue)
      if let value = array[key] { return value }
      warning("Undefined array key \(key.shown)")
      return .null
    case .bytes(let bytes):
      guard let offset = Interpreter.stringOffset(keyValue) else {
        throw ShellError("Cannot access offset of type \(keyValue.phpTypeName) on string")
      }
      let at = offset < 0 ? bytes.count + offset : offset
      guard bytes.indices.contains(at) else {
        warning("Uninitialized string offset \(offset)")
        return .bytes([])
      }
      return .bytes([bytes[at]])
    case .handle, .iovec:
      throw ShellError("Cannot use object of type \(container.objectClass ?? "") as array")
    default:
      warning("Trying to access array offset on value of type \(container.phpTypeName)")
      return .null
    }
  }

  /// `[…]`, `$a[k]`, isset, empty and unset.
  func evaluateArrayExpression(_ expr: Expr) throws(ShellError) -> Value {
    switch expr {
    case .arrayLiteral(let keys, let values):
      var array = PHPArray()
      for (keyExpr, valueExpr) in zip(keys, values) {
        // PHP evaluates a key before its value.
        let key = try keyExpr.map { (expr) throws(ShellError) in try arrayKey(try evaluate(expr)) }
        let value = try evaluate(valueExpr)
        if let key {
          array.set(key, value)
        } else if !array.append(value) {
          throw ShellError("Cannot add element to the array as the next element is already occupied")
        }
      }
      let result = Value.array(array)
      let shape = result.listShape()
      guard shape.depth <= Value.maximumNesting else {
        throw ShellError("arrays would nest more than \(Value.maximumNesting) deep")
      }
      guard shape.values <= Value.maximumListValues else {
        throw ShellError("arrays would hold more than \(Value.maximumListValues) values in all")
      }
      return result
    case .index(let base, let keyExpr, _):
      let container = try evaluate(base)
      return try element(of: container, key: try evaluate(keyExpr))
    case .isset(let targets):
      for target in targets where !(try isSet(target)) { return .bool(false) }
      return .bool(true)
    case .empty(let target):
      guard let value = try quietValue(target) else { return .bool(true) }
      return .bool(!value.isTruthy)
    case .unset(let targets):
      for target in targets { try unset(target) }
      return .null
    default:
      throw ShellError("cannot evaluate this expression")
    }
  }

  /// An integer offset into a string: ints, and what PHP takes for one.
  static func stringOffset(_ key: Value) -> Int? {
    switch key {
    case .int(let n): n
    case .bool(let flag): flag ? 1 : 0
    case .double(let d): Value.wrappingInt(d)
    case .bytes(let bytes):
      if case .int(let n) = NumericString(bytes).number, NumericString(bytes).form == .numeric { n } else { nil }
    default: nil
    }
  }

  /// The value of a variable or an element, or nil when it is not set: what `??`, `??=`, isset
  /// and empty read, without a warning.
  func quietValue(_ expr: Expr) throws(ShellError) -> Value? {
    switch expr {
    case .variable(let name, _):
      return name == "_" ? lastValue : variables[name]
    case .index(let base, let keyExpr, _):
      guard let container = try quietValue(base) else { return nil }
      let keyValue = try evaluate(keyExpr)
      switch container {
      case .array(let array):
        return array[try arrayKey(keyValue)]
      case .bytes(let bytes):
        guard let offset = Interpreter.stringOffset(keyValue) else { return nil }
        let at = offset < 0 ? bytes.count + offset : offset
        return bytes.indices.contains(at) ? .bytes([bytes[at]]) : nil
      default: return nil
      }
    default:
      return try evaluate(expr)
    }
  }

  /// isset(): set and not null.
  func isSet(_ expr: Expr) throws(ShellError) -> Bool {
    guard let value = try quietValue(expr) else { return false }
    return value != .null
  }

  /// Runs `body` on the variable or element `target` names, in place: nil when it is not set,
  /// and setting nil removes it. The arrays on the way are created as an assignment creates them.
  func modify<Result>(_ target: Expr, _ body: (inout Value?) throws(ShellError) -> Result) throws(ShellError)
    -> Result
  {
    switch target {
    case .variable(let name, _):
      if name == "_" { throw ShellError("$_ holds the last result and cannot be assigned") }
      return try body(&variables[name])
    case .index(let base, let keyExpr, _):
      let key = try arrayKey(try evaluate(keyExpr))
      return try modifyArray(base) { (array: inout PHPArray) throws(ShellError) -> Result in
        try array.withElement(key, body)
      }
    case .append(let base, _):
      return try modifyArray(base) { (array: inout PHPArray) throws(ShellError) -> Result in
        var element: Value? = nil
        let result = try body(&element)
        if let element, !array.append(element) {
          throw ShellError("Cannot add element to the array as the next element is already occupied")
        }
        return result
      }
    default:
      throw ShellError("only a variable or an element of an array can be assigned")
    }
  }

  /// Runs `body` on the array `target` holds, in place; an unset or null target becomes an empty
  /// array first, as PHP's assignment makes one.
  private func modifyArray<Result>(_ target: Expr, _ body: (inout PHPArray) throws(ShellError) -> Result)
    throws(ShellError) -> Result
  {
    try modify(target) { (slot: inout Value?) throws(ShellError) -> Result in
      var array: PHPArray
      let before = slot
      switch slot {
      case nil, .null?:
        array = PHPArray()
      case .array(let existing)?:
        array = existing
        // Let go of the slot's reference, so the array is changed where it is, not copied.
        slot = .null
      case .bool(false)?:
        warning("Deprecated: Automatic conversion of false to array is deprecated")
        array = PHPArray()
      case .bytes?:
        throw ShellError("sockshell cannot change a string through an offset ($s[0] = …); build a new string")
      case .handle?, .iovec?:
        throw ShellError("Cannot use object of type \(slot?.objectClass ?? "") as array")
      case let other?:
        throw ShellError("Cannot use a scalar value as an array (\(other.kindName))")
      }
      do throws(ShellError) {
        let result = try body(&array)
        slot = .array(array)
        return result
      } catch {
        // A failed assignment leaves an unset variable unset.
        if case .array = before { slot = .array(array) } else { slot = before }
        throw error
      }
    }
  }

  /// How many `[…]` an assignment target goes down: a value stored there is that much deeper.
  private static func pathLength(_ target: Expr) -> Int {
    switch target {
    case .index(let base, _, _), .append(let base, _): 1 + pathLength(base)
    default: 0
    }
  }

  /// Writes a value into a variable, an element (`$a['k'] = x`, `$a[1][2] = x`) or the end of
  /// an array (`$a[] = x`).
  func store(_ value: Value, into target: Expr) throws(ShellError) {
    if case .array = value {
      let shape = value.listShape()
      guard shape.depth + Interpreter.pathLength(target) <= Value.maximumNesting else {
        throw ShellError("arrays would nest more than \(Value.maximumNesting) deep")
      }
      guard shape.values <= Value.maximumListValues else {
        throw ShellError("arrays would hold more than \(Value.maximumListValues) values in all")
      }
    }
    // A variable is set by assignment: the dictionary's in-place access costs more than a lookup
    // and a store, and `$i++` in a loop comes here each pass.
    if case .variable(let name, _) = target, name != "_" {
      variables[name] = value
      return
    }
    try modify(target) { (slot: inout Value?) throws(ShellError) in
      if case .array(let array)? = slot, array.count >= Value.maximumListValues, case .append = target {
        throw ShellError("arrays would hold more than \(Value.maximumListValues) values in all")
      }
      slot = value
    }
  }

  /// `unset($x)`, `unset($a['k'])`: removed; unsetting what is not there does nothing.
  func unset(_ target: Expr) throws(ShellError) {
    switch target {
    case .variable(let name, _):
      if name == "_" { throw ShellError("$_ holds the last result and cannot be unset") }
      variables[name] = nil
    case .index(let base, let keyExpr, _):
      // Nothing is created on the way: unset of a missing element leaves everything as it was.
      guard case .array? = try quietValue(base) else {
        if case .bytes? = try quietValue(base) { throw ShellError("Cannot unset string offsets") }
        return
      }
      let key = try arrayKey(try evaluate(keyExpr))
      try modify(base) { (slot: inout Value?) throws(ShellError) in
        guard case .array(var array)? = slot else { return }
        slot = .null
        array.remove(key)
        slot = .array(array)
      }
    default:
      throw ShellError("unset() takes variables and elements")
    }
  }
}
