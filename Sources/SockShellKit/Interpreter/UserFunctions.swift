/// Calling the functions a PHP program declares. Each call runs its body with its own variables:
/// the parameters, and the program's variables named by `global`. PHP's references are kept to
/// what socket programs use them for: a `&$param` writes its last value back to the caller's
/// variable when the call ends, and a `global` name is copied in when declared and after each
/// call the function makes, and copied out before each such call and at the end.
struct FunctionFrame {
  /// The names `global` bound in this call.
  var globalNames: Set<String> = []
}

extension Interpreter {
  /// How deep user functions may call each other: far enough for a learner's recursion (a
  /// factorial of 1000, a walk down nested lists), and a bound for one that never ends, which PHP
  /// ends when its memory runs out. The same in every build, though a release build's calls take
  /// a fraction of the debug build's stack.
  static let maximumCallDepth = 5_000
  /// The stack a call must leave free below it on a program's thread (ProgramThread): the
  /// callee's body nested as deep as the parser allows (200 blocks at about 8 KiB each in the
  /// debug build, which the tests run) and the commands it calls. One level of
  /// `return $n * f($n - 1);` takes about 31 KiB there, so the program thread's stack holds the
  /// deepest recursion with room to spare, and a body nested deep around its call stops early
  /// instead of overflowing.
  static let stackReserve: UInt = 4 << 20
  /// The stack the calls may take where the stack's end is not known (the shell's statements,
  /// which run on the main thread, or a program for which no thread could be made): within the
  /// main thread's 8 MiB (ulimit -s), with room for the top level's nesting above the first call
  /// and the last call's body below the check.
  static let maximumCallStack: UInt = 3 << 20

  func call(_ function: UserFunction, _ argumentExprs: [Expr]) throws(ShellError) -> Value {
    let callLine = lineNumber
    let parameters = function.parameters
    // The arguments, in the caller's scope and left to right, as PHP evaluates them.
    var values: [Value] = []
    values.reserveCapacity(argumentExprs.count)
    var references: [(parameter: String, variable: String)] = []
    for (position, expr) in argumentExprs.enumerated() {
      if position < parameters.count, parameters[position].byReference {
        guard case .variable(let name, _) = expr, name != "_" else {
          throw ShellError(
            "\(function.name)(): Argument #\(position + 1) ($\(parameters[position].name)) cannot be passed by reference",
            endsProgram: true)
        }
        values.append(variables[name] ?? .null)
        references.append((parameters[position].name, name))
      } else {
        values.append(try evaluate(expr))
      }
    }
    let required = function.requiredCount
    guard values.count >= required else {
      let expected = parameters.count > required ? "at least" : "exactly"
      let place = callLine.map { " on line \($0)" } ?? ""
      throw ShellError(
        "Too few arguments to function \(function.name)(), \(values.count) passed\(place) and \(expected) \(required) expected",
        endsProgram: true)
    }
    // A recursion that never loops must still stop on Ctrl-C and at the time limit.
    if mustStopLoop() { throw ShellError("") }
    var marker: UInt8 = 0
    let stackHere = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    if functionFrames.isEmpty { callStackBase = stackHere }
    // The stack grows down: checked against where it ends where that is known, else against
    // what the calls have used since the outermost one.
    let lowest = StackBounds.lowest
    let stackLeft: Bool
    if let lowest {
      stackLeft = stackHere > lowest && stackHere - lowest > Interpreter.stackReserve
    } else {
      stackLeft = callStackBase <= stackHere || callStackBase - stackHere < Interpreter.maximumCallStack
    }
    guard functionFrames.count < Interpreter.maximumCallDepth else {
      throw ShellError(
        "functions call each other more than \(Interpreter.maximumCallDepth) deep", endsProgram: true)
    }
    guard stackLeft else {
      throw ShellError(
        "functions call each other \(functionFrames.count) deep and have used up the stack"
          + (lowest == nil
            ? " the shell has (a PHP file, run whole, may go \(Interpreter.maximumCallDepth) deep)"
            : " (blocks nested around a call take some too)"),
        endsProgram: true)
    }

    // Leave the caller's scope: at the top level its variables are the program's globals.
    let atTopLevel = functionFrames.isEmpty
    var callerVariables: [String: Value] = [:]
    if atTopLevel {
      programGlobals = variables
    } else {
      copyGlobalsOut()
      callerVariables = variables
    }
    variables = [:]
    functionFrames.append(FunctionFrame())
    defer {
      copyGlobalsOut()
      let locals = variables
      functionFrames.removeLast()
      if atTopLevel {
        variables = programGlobals
        programGlobals = [:]
      } else {
        variables = callerVariables
        copyGlobalsIn()
      }
      for (parameter, variable) in references {
        let value = locals[parameter] ?? .null
        variables[variable] = value
        if let frame = functionFrames.last, frame.globalNames.contains(variable) { programGlobals[variable] = value }
      }
      lineNumber = callLine
    }
    for (position, parameter) in parameters.enumerated() {
      if position < values.count {
        variables[parameter.name] = values[position]
      } else if let defaultValue = parameter.defaultValue {
        // Evaluated at each call, as PHP does (in the function's scope, where it is a constant).
        variables[parameter.name] = try evaluate(defaultValue)
      }
    }
    let flow = run(function.body)
    // `exit` (or a fatal error, or in the shell `or die` and Ctrl-C) inside: the statements
    // around the call must not go on.
    if mustUnwind { throw ShellError("") }
    if case .returned(let value) = flow { return value }
    return .null
  }

  /// `global $a, $b;`: the names stand for the program's variables in this call (PHP makes a
  /// missing one null). At the top level the names are the program's already.
  func bindGlobals(_ names: [String]) {
    guard !functionFrames.isEmpty else { return }
    for name in names {
      functionFrames[functionFrames.count - 1].globalNames.insert(name)
      let value = programGlobals[name] ?? .null
      programGlobals[name] = value
      variables[name] = value
    }
  }

  /// The innermost call's `global` names, copied to the program's variables.
  private func copyGlobalsOut() {
    guard let frame = functionFrames.last else { return }
    for name in frame.globalNames { programGlobals[name] = variables[name] }
  }

  /// The program's variables, copied to the innermost call's `global` names.
  private func copyGlobalsIn() {
    guard let frame = functionFrames.last else { return }
    for name in frame.globalNames { variables[name] = programGlobals[name] }
  }
}
