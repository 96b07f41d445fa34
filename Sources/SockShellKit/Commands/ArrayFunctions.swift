/// PHP's array functions that socket programs use: the client lists of a select loop
/// (`array_search`, `in_array`, `unset`'s partners), building and taking apart lists. They make
/// no system call; their results, keys included, are PHP 8's.
enum ArrayFunctions {
  static let commands: [CommandSpec] = [
    inArray, arraySearch, arrayKeys, arrayValues, arrayMerge, arrayPush, arrayPop, arrayShift, arrayUnshift,
    arrayKeyExists, range,
  ]

  /// An `array` parameter, or PHP's TypeError.
  private static func array(_ call: Invocation, _ position: Int, _ parameter: String) throws(ShellError) -> PHPArray {
    guard case .array(let array) = call.value(position) else {
      throw ShellError(
        "\(call.typedName): Argument #\(position + 1) ($\(parameter)) must be of type array, "
          + "\(call.value(position).phpTypeName) given")
    }
    return array
  }

  /// The key of the first element equal to `needle` (`==`, or `===` when strict).
  private static func firstKey(of needle: Value, in haystack: PHPArray, strict: Bool) -> ArrayKey? {
    for (key, value) in haystack
    where strict ? PHPOperators.identical(value, needle) : PHPOperators.looseEquals(value, needle) {
      return key
    }
    return nil
  }

  static let inArray = CommandSpec(
    name: "in_array", family: .arrays, synopsis: "in_array(NEEDLE, ARRAY [, STRICT])",
    php: "in_array(mixed $needle, array $haystack, bool $strict = false): bool",
    summary: "Whether ARRAY holds NEEDLE: compared with ==, or with === when STRICT is true.",
    example: "in_array($s, $clients, true)"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let haystack = try array(call, 1, "haystack")
    return .bool(firstKey(of: call.value(0), in: haystack, strict: call.value(2).isTruthy) != nil)
  }

  static let arraySearch = CommandSpec(
    name: "array_search", family: .arrays, synopsis: "array_search(NEEDLE, ARRAY [, STRICT])",
    php: "array_search(mixed $needle, array $haystack, bool $strict = false): int|string|false",
    summary: "The key of the first element of ARRAY equal to NEEDLE (=== when STRICT), or false.",
    notes: """
      The key may be 0, which is false as a condition: test the result with `!== false`. In a
      select loop, `$key = array_search($s, $clients, true); unset($clients[$key]);` forgets a
      client whose peer has gone.
      """,
    example: "array_search($s, $clients, true)"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let haystack = try array(call, 1, "haystack")
    return firstKey(of: call.value(0), in: haystack, strict: call.value(2).isTruthy)?.value ?? .bool(false)
  }

  static let arrayKeys = CommandSpec(
    name: "array_keys", family: .arrays, synopsis: "array_keys(ARRAY [, VALUE [, STRICT]])",
    php: "array_keys(array $array, mixed $filter_value, bool $strict = false): array",
    summary: "The keys of ARRAY in order, or only those whose value equals VALUE."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...3)
    let source = try array(call, 0, "array")
    guard call.count > 1 else { return .list(source.allKeys.map(\.value)) }
    let strict = call.value(2).isTruthy
    let needle = call.value(1)
    var keys: [Value] = []
    for (key, value) in source
    where strict ? PHPOperators.identical(value, needle) : PHPOperators.looseEquals(value, needle) {
      keys.append(key.value)
    }
    return .list(keys)
  }

  static let arrayValues = CommandSpec(
    name: "array_values", family: .arrays, synopsis: "array_values(ARRAY)",
    php: "array_values(array $array): array",
    summary: "The values of ARRAY as a list with the keys 0, 1, 2, … (after unset has left gaps)."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    return .list(try array(call, 0, "array").values)
  }

  static let arrayMerge = CommandSpec(
    name: "array_merge", family: .arrays, synopsis: "array_merge(ARRAYS...)",
    php: "array_merge(array ...$arrays): array",
    summary: "The arrays one after another: integer keys numbered again from 0, a later string key replacing an earlier."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    var merged = PHPArray()
    for position in 0..<call.count {
      let part = try array(call, position, "arrays")
      guard merged.count <= Value.maximumListValues - part.count else {
        throw ShellError("\(call.typedName): the array would hold more than \(Value.maximumListValues) values")
      }
      for (key, value) in part {
        if case .string = key { merged.set(key, value) } else { merged.append(value) }
      }
    }
    return .array(merged)
  }

  /// The array a by-reference parameter holds, for the functions that change it in place.
  private static func changing(_ call: Invocation, _ name: String) throws(ShellError) -> PHPArray {
    guard call.arguments.first?.variable != nil else {
      throw ShellError("\(call.typedName): Argument #1 ($\(name)) could not be passed by reference")
    }
    return try array(call, 0, name)
  }

  static let arrayPush = CommandSpec(
    name: "array_push", family: .arrays, synopsis: "array_push(ARRAY, VALUES...)",
    php: "array_push(array &$array, mixed ...$values): int",
    summary: "Appends the VALUES to the array variable; the new number of elements.",
    outArguments: [0]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...Int.max)
    var target = try changing(call, "array")
    guard target.count <= Value.maximumListValues - (call.count - 1) else {
      throw ShellError("\(call.typedName): the array would hold more than \(Value.maximumListValues) values")
    }
    for position in 1..<call.count where !target.append(call.value(position)) {
      throw ShellError("Cannot add element to the array as the next element is already occupied")
    }
    call.writeBack(0, .array(target))
    return .int(target.count)
  }

  /// array_pop and array_shift: one element taken out of the array variable, and given back.
  private static func removing(
    _ name: String, _ summary: String, _ remove: @escaping @Sendable (inout PHPArray) -> Value?
  ) -> CommandSpec {
    CommandSpec(
      name: name, family: .arrays, synopsis: "\(name)(ARRAY)", php: "\(name)(array &$array): mixed",
      summary: summary, outArguments: [0]
    ) { (call: inout Invocation) throws(ShellError) -> Value in
      try call.expect(1...1)
      var target = try changing(call, "array")
      let removed = remove(&target)
      call.writeBack(0, .array(target))
      return removed ?? .null
    }
  }

  static let arrayPop = removing(
    "array_pop", "Removes the last element of the array variable and gives it (null when it is empty)."
  ) { $0.removeLast() }

  static let arrayShift = removing(
    "array_shift", "Removes the first element of the array variable and gives it; integer keys are numbered again."
  ) { $0.removeFirst() }

  static let arrayUnshift = CommandSpec(
    name: "array_unshift", family: .arrays, synopsis: "array_unshift(ARRAY, VALUES...)",
    php: "array_unshift(array &$array, mixed ...$values): int",
    summary: "Puts the VALUES before the first element; integer keys are numbered again. The new count.",
    outArguments: [0]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...Int.max)
    let old = try changing(call, "array")
    guard old.count <= Value.maximumListValues - (call.count - 1) else {
      throw ShellError("\(call.typedName): the array would hold more than \(Value.maximumListValues) values")
    }
    var target = PHPArray((1..<call.count).map { call.value($0) })
    for (key, value) in old {
      if case .string = key { target.set(key, value) } else { target.append(value) }
    }
    call.writeBack(0, .array(target))
    return .int(target.count)
  }

  static let arrayKeyExists = CommandSpec(
    name: "array_key_exists", aliases: ["key_exists"], family: .arrays, synopsis: "array_key_exists(KEY, ARRAY)",
    php: "array_key_exists(string|int $key, array $array): bool",
    summary: "Whether ARRAY has the key KEY, even when its value is null (isset would say false)."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let source = try array(call, 1, "array")
    let key: ArrayKey
    switch call.value(0) {
    case .int(let number): key = .int(number)
    case .bytes(let bytes): key = ArrayKey(string: bytes)
    case .null: key = .string([])
    case .bool(let flag): key = .int(flag ? 1 : 0)
    case .double(let number): key = .int(Value.wrappingInt(number))
    default:
      throw ShellError("\(call.typedName): Argument #1 ($key) must be a valid array offset type")
    }
    return .bool(source[key] != nil)
  }

  static let range = CommandSpec(
    name: "range", family: .arrays, synopsis: "range(START, END [, STEP])",
    php: "range(string|int|float $start, string|int|float $end, int|float $step = 1): array",
    summary: "The list from START to END (either way) by STEP: numbers, or single letters such as range('a', 'e').",
    example: "range(1, 5)"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let start = call.value(0)
    let end = call.value(1)
    let stepValue = call.count > 2 ? call.value(2) : .int(1)
    let step = abs(stepValue.phpDouble)
    guard step.isFinite else { throw ShellError("\(call.typedName): Argument #3 ($step) must be a finite number") }
    // Two one-byte strings that are not numbers: a range of bytes.
    if case .bytes(let a) = start, case .bytes(let b) = end, a.count >= 1, b.count >= 1,
      !start.isNumeric, !end.isNumeric
    {
      let by = max(1, Int(step))
      let from = Int(a[0])
      let to = Int(b[0])
      let values = stride(from: from, through: to, by: from <= to ? by : -by).map { Value.bytes([UInt8($0)]) }
      return .list(values)
    }
    // PHP 8.2 makes floats when any of the three is a float (or a string holding one).
    let isFloat = [start, end, stepValue].contains {
      switch $0 {
      case .double: true
      case .bytes(let bytes): if case .double = NumericString(bytes).number { true } else { false }
      default: false
      }
    }
    let from = start.phpDouble
    let to = end.phpDouble
    guard from.isFinite, to.isFinite else {
      throw ShellError("\(call.typedName): the start and the end must be finite numbers")
    }
    guard step != 0 else { throw ShellError("\(call.typedName): Argument #3 ($step) cannot be 0") }
    guard step <= abs(to - from) || from == to else {
      throw ShellError("\(call.typedName): Argument #3 ($step) must not exceed the specified range")
    }
    let count = (abs(to - from) / step).rounded(.down) + 1
    guard count <= Double(Value.maximumListValues) else {
      throw ShellError(
        "\(call.typedName): the range would hold more than \(Value.maximumListValues) values, the most a list holds")
    }
    let direction: Double = from <= to ? 1 : -1
    var values: [Value] = []
    values.reserveCapacity(Int(count))
    for index in 0..<Int(count) {
      let number = from + direction * Double(index) * step
      values.append(isFloat ? .double(number) : .int(Int(number)))
    }
    return .list(values)
  }
}
