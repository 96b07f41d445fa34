/// One call of a command: its arguments and typed accessors that explain what was wrong.
public struct Invocation {
  public let interpreter: Interpreter
  public let spec: CommandSpec
  /// The name as typed: `socket_bind` or `bind`.
  public let typedName: String
  public var arguments: [CallArgument]
  /// The command is a whole statement, so it reports its result itself.
  public let isStatement: Bool

  public var kernel: Kernel { interpreter.kernel }
  public var count: Int { arguments.count }

  public func usage(_ problem: String) -> ShellError {
    ShellError("\(typedName): \(problem); usage: \(spec.synopsis)")
  }

  public func expect(_ range: ClosedRange<Int>) throws(ShellError) {
    guard range.contains(arguments.count) else {
      let wanted =
        range.lowerBound == range.upperBound
        ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
      throw usage("expected \(wanted) argument\(range.upperBound == 1 ? "" : "s"), got \(arguments.count)")
    }
  }

  public func has(_ position: Int) -> Bool {
    position < arguments.count && arguments[position].value != .null
  }

  public func value(_ position: Int) -> Value {
    position < arguments.count ? arguments[position].value : .null
  }

  /// An open handle: `#N`, `N`, or a variable holding one. A closed handle is refused with when
  /// it was closed, and no system call is made.
  public func handle(_ position: Int) throws(ShellError) -> Handle {
    let value = value(position)
    let number: Int
    switch value {
    case .handle(let n), .int(let n): number = n
    default:
      throw usage(
        "argument \(position + 1) must be a handle (#1, 1 or a variable holding one), not \(value.kindName)")
    }
    guard let handle = interpreter.handles.handle(number) else {
      let count = interpreter.handles.all.count
      let known = count == 0 ? "no handles exist yet" : "handles go from #1 to #\(count)"
      throw ShellError("\(typedName): there is no handle #\(number) (\(known))")
    }
    guard handle.isOpen else {
      throw ShellError(
        "\(typedName): \(interpreter.describe(handle)) was closed at \(handle.closedWhere ?? "an earlier line"); "
          + "handle numbers are never reused, so create a new socket")
    }
    return handle
  }

  public func int(_ position: Int, _ what: String) throws(ShellError) -> Int {
    switch value(position) {
    case .int(let number): return number
    case .bool(let flag): return flag ? 1 : 0
    case .double(let number) where number == number.rounded() && abs(number) < 1e18: return Int(number)
    case .bytes(let bytes):
      if let number = Int(String(decoding: bytes, as: UTF8.self)) { return number }
      throw usage("\(what) must be a number, not \"\(String(decoding: bytes, as: UTF8.self))\"")
    case let other: throw usage("\(what) must be a number, not \(other.kindName)")
    }
  }

  public func int(_ position: Int, _ what: String, default fallback: Int) throws(ShellError) -> Int {
    has(position) ? try int(position, what) : fallback
  }

  public func bytes(_ position: Int, _ what: String) throws(ShellError) -> [UInt8] {
    switch value(position) {
    case .bytes(let bytes): return bytes
    case .int, .double, .bool, .null: return value(position).textBytes
    case let other: throw usage("\(what) must be a string, not \(other.kindName)")
    }
  }

  public func text(_ position: Int, _ what: String) throws(ShellError) -> String {
    String(decoding: try bytes(position, what), as: UTF8.self)
  }

  /// Stores a value back into the variable an argument came from, as PHP's `&$read` does.
  public func writeBack(_ position: Int, _ value: Value) {
    guard position < arguments.count, let name = arguments[position].variable else { return }
    interpreter.variables[name] = value
  }
}

/// An evaluated argument, with the variable it came from so a command can write back to it
/// (`select` replaces its lists with the ready subset, as PHP's by-reference arguments do).
public struct CallArgument: Sendable {
  public var value: Value
  public var variable: String?
  /// The constant the argument was written as (`SO_REUSEADDR`): option numbers repeat across
  /// levels, so the name says more than the value.
  public var constant: String? = nil
}
