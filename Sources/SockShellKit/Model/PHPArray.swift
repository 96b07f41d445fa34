/// A key of a PHP array: an integer, or a string that is not one written in decimal.
public enum ArrayKey: Hashable, Sendable {
  case int(Int)
  case string([UInt8])

  /// The key PHP makes of a string: "8" and "-3" are the integers 8 and -3; "08", "+3", "1.0",
  /// " 8" and "9223372036854775808" stay strings.
  public init(string bytes: [UInt8]) {
    self = ArrayKey.decimal(bytes).map(ArrayKey.int) ?? .string(bytes)
  }

  private static func decimal(_ bytes: [UInt8]) -> Int? {
    var digits = bytes[...]
    let negative = digits.first == UInt8(ascii: "-")
    if negative { digits = digits.dropFirst() }
    guard let first = digits.first, !digits.isEmpty, digits.count <= 19,
      digits.allSatisfy({ (48...57).contains($0) })
    else { return nil }
    // "0" is a number, "00" and "-0" are not.
    if first == 48 && (digits.count > 1 || negative) { return nil }
    var value = 0
    for digit in digits {
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) =
        negative ? times.subtractingReportingOverflow(Int(digit - 48)) : times.addingReportingOverflow(Int(digit - 48))
      if overflow1 || overflow2 { return nil }
      value = sum
    }
    return value
  }

  /// The key as a value: `array_keys` and `foreach ($a as $k => $v)` give these.
  public var value: Value {
    switch self {
    case .int(let number): .int(number)
    case .string(let bytes): .bytes(bytes)
    }
  }

  /// As PHP's messages write a key: `5`, `"name"`.
  public var shown: String {
    switch self {
    case .int(let number): String(number)
    case .string(let bytes): "\"" + CString.escape(bytes, limit: 64) + "\""
    }
  }
}

/// PHP's array: an ordered map from integer and string keys to values. Most arrays a socket
/// program builds are lists (the keys 0, 1, 2, … in order), kept as a plain array of values; the
/// first key out of that order (a string key, a gap, an `unset` before the end) moves the array
/// to a table with its keys, an index of where each key is, and holes where elements were
/// removed, closed up once they are as many as the elements left.
public struct PHPArray: Sendable {
  /// The values, in order; in a table, a removed element leaves a hole (its key is nil).
  private var slots: [Value] = []
  /// Each slot's key, or nil while the array is a list (the key of slot i is then i).
  private var keys: [ArrayKey?]?
  /// Where each key's slot is; empty while the array is a list.
  private var positions: [ArrayKey: Int] = [:]
  /// How many elements the array holds.
  public private(set) var count = 0
  /// One past the largest integer key the array has held, nil before it held any.
  private var largestKeyPlusOne: Int?
  /// The key `$a[] = x` uses: one past the largest integer key the array has ever held (-4 after
  /// -5, as PHP 8.2 has it), 0 for an array that never held one.
  public var nextIndex: Int {
    get { largestKeyPlusOne ?? 0 }
    set { largestKeyPlusOne = newValue }
  }

  public init() {}

  /// A list of `values` with the keys 0, 1, 2, …
  public init(_ values: [Value]) {
    slots = values
    count = values.count
    if !values.isEmpty { nextIndex = values.count }
  }

  public var isEmpty: Bool { count == 0 }

  /// The keys are 0, 1, 2, … in order: what json_encode writes as `[…]`.
  public var isList: Bool {
    guard let keys else { return true }
    var expected = 0
    for case let key? in keys {
      guard key == .int(expected) else { return false }
      expected += 1
    }
    return true
  }

  /// The values in order, without their keys.
  public var values: [Value] {
    guard let keys else { return slots }
    var values: [Value] = []
    values.reserveCapacity(count)
    for (slot, key) in keys.enumerated() where key != nil { values.append(slots[slot]) }
    return values
  }

  /// The keys in order.
  public var allKeys: [ArrayKey] {
    guard let keys else { return (0..<count).map(ArrayKey.int) }
    return keys.compactMap { $0 }
  }

  /// The first and last element, for array_shift and array_pop.
  public var first: (key: ArrayKey, value: Value)? {
    var iterator = makeIterator()
    return iterator.next()
  }

  public var last: (key: ArrayKey, value: Value)? {
    guard let keys else { return slots.last.map { (.int(slots.count - 1), $0) } }
    guard let slot = keys.lastIndex(where: { $0 != nil }) else { return nil }
    return (keys[slot]!, slots[slot])
  }

  public subscript(key: ArrayKey) -> Value? {
    guard let keys else {
      guard case .int(let index) = key, slots.indices.contains(index) else { return nil }
      return slots[index]
    }
    guard let slot = positions[key] else { return nil }
    return slots[slot]
  }

  /// Sets the element with this key, adding it at the end when the array has no such key.
  public mutating func set(_ key: ArrayKey, _ value: Value) {
    if keys == nil {
      if case .int(let index) = key {
        if slots.indices.contains(index) {
          slots[index] = value
          return
        }
        if index == slots.count {
          slots.append(value)
          count += 1
          nextIndex = count
          return
        }
      }
      becomeTable()
    }
    if let slot = positions[key] {
      slots[slot] = value
      return
    }
    positions[key] = slots.count
    slots.append(value)
    keys!.append(key)
    count += 1
    if case .int(let index) = key, largestKeyPlusOne.map({ index >= $0 }) ?? true {
      largestKeyPlusOne = index == Int.max ? Int.max : index + 1
    }
  }

  /// `$a[] = value`: false when the next key would pass the largest integer (PHP's "Cannot add
  /// element to the array as the next element is already occupied").
  @discardableResult
  public mutating func append(_ value: Value) -> Bool {
    if keys == nil {
      slots.append(value)
      count += 1
      nextIndex = count
      return true
    }
    let key = ArrayKey.int(nextIndex)
    guard positions[key] == nil else { return false }
    set(key, value)
    return true
  }

  /// `unset($a[key])`: the element's value, or nil when there was none. The next index stays.
  @discardableResult
  public mutating func remove(_ key: ArrayKey) -> Value? {
    if keys == nil {
      guard case .int(let index) = key, slots.indices.contains(index) else { return nil }
      becomeTable()
    }
    guard let slot = positions.removeValue(forKey: key) else { return nil }
    let value = slots[slot]
    slots[slot] = .null
    keys![slot] = nil
    count -= 1
    if slots.count - count > Swift.max(8, count) { closeHoles() }
    return value
  }

  /// array_pop: the last value; the next index goes back by one when its key was the last
  /// integer handed out, as PHP does.
  public mutating func removeLast() -> Value? {
    guard let (key, value) = last else { return nil }
    if keys == nil {
      slots.removeLast()
      count -= 1
      nextIndex = count
      return value
    }
    remove(key)
    if case .int(let index) = key, index == nextIndex - 1 { nextIndex = index }
    return value
  }

  /// array_shift: the first value; integer keys are numbered again from 0, string keys kept.
  public mutating func removeFirst() -> Value? {
    guard let (_, value) = first else { return nil }
    if keys == nil {
      slots.removeFirst()
      count -= 1
      nextIndex = count
      return value
    }
    var rest = PHPArray()
    var skipped = false
    for (key, item) in self {
      if !skipped {
        skipped = true
        continue
      }
      if case .string = key { rest.set(key, item) } else { rest.append(item) }
    }
    self = rest
    return value
  }

  /// Runs `body` on the element with this key in place (nil when there is none; setting nil
  /// removes it): the array lets go of the element meanwhile, so that changing an array or a
  /// string inside it does not copy it.
  public mutating func withElement<Result, Failure: Error>(
    _ key: ArrayKey, _ body: (inout Value?) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    var element = self[key]
    let existed = element != nil
    if existed { set(key, .null) }
    defer {
      if let element { set(key, element) } else if existed { remove(key) }
    }
    return try body(&element)
  }

  private mutating func becomeTable() {
    var table: [ArrayKey?] = []
    table.reserveCapacity(slots.count + 1)
    positions.reserveCapacity(slots.count + 1)
    for index in slots.indices {
      table.append(.int(index))
      positions[.int(index)] = index
    }
    keys = table
  }

  /// Drops the holes, keeping the order; the positions follow.
  private mutating func closeHoles() {
    guard let keys else { return }
    var newSlots: [Value] = []
    var newKeys: [ArrayKey?] = []
    newSlots.reserveCapacity(count)
    newKeys.reserveCapacity(count)
    positions.removeAll(keepingCapacity: true)
    for (slot, key) in keys.enumerated() {
      guard let key else { continue }
      positions[key] = newSlots.count
      newSlots.append(slots[slot])
      newKeys.append(key)
    }
    slots = newSlots
    self.keys = newKeys
  }
}

extension PHPArray: Sequence {
  public struct Iterator: IteratorProtocol {
    fileprivate let array: PHPArray
    fileprivate var slot = 0

    public mutating func next() -> (key: ArrayKey, value: Value)? {
      while slot < array.slots.count {
        defer { slot += 1 }
        guard let keys = array.keys else { return (.int(slot), array.slots[slot]) }
        if let key = keys[slot] { return (key, array.slots[slot]) }
      }
      return nil
    }
  }

  public func makeIterator() -> Iterator { Iterator(array: self) }
  public var underestimatedCount: Int { count }
}

extension PHPArray: Equatable {
  /// The same keys with the same values in the same order (PHP's `===` on arrays).
  public static func == (left: PHPArray, right: PHPArray) -> Bool {
    guard left.count == right.count else { return false }
    if left.keys == nil && right.keys == nil { return left.slots == right.slots }
    for (a, b) in zip(left, right) where a.key != b.key || a.value != b.value { return false }
    return true
  }
}
