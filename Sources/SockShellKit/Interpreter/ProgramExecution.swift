/// Running a whole PHP program, or the control statements of the shell: statements in order,
/// with loops bounded only by the program, by Ctrl-C and by `set_time_limit`. Each simple
/// statement runs as a line's statement does, so its calls are echoed as they are on a line.
extension Interpreter {
  /// Where control goes after a statement.
  enum ProgramFlow {
    case next
    /// Leave N loops (`break N`); the innermost loop takes one.
    case breakLoops(Int)
    /// Go on with the Nth loop out (`continue N`).
    case continueLoops(Int)
    /// The program ends (`exit`, `or die`, the time limit, Ctrl-C, --fail-fast), or in the shell
    /// the statement typed is abandoned (`or die`, Ctrl-C).
    case stop
    /// `return`: the function ends with this value.
    case returned(Value)
  }

  /// Runs the program; returns false when the session must end (`exitStatus` says how).
  @discardableResult
  public func run(program: PHPProgram) -> Bool {
    for warning in program.warnings {
      lineNumber = warning.line
      report("warning: " + warning.message)
    }
    userFunctions = program.functions
    // On a stack deep enough for a learner's recursion; a `return` at the top level ends the
    // program, as in PHP.
    ProgramThread.run { _ = self.run(program.statements) }
    return exitStatus == nil
  }

  func run(_ statements: [ProgramStatement]) -> ProgramFlow {
    for statement in statements {
      let flow = run(statement)
      if case .next = flow { continue }
      return flow
    }
    return .next
  }

  private func run(_ statement: ProgramStatement) -> ProgramFlow {
    switch statement {
    case .simple(let simple, let line):
      return runSimple(simple, line: line)
    case .block(let statements):
      return run(statements)
    case .conditional(let branches, let otherwise):
      for (condition, body) in branches {
        guard let holds = test(condition) else { return .stop }
        if holds { return run(body) }
      }
      return otherwise.map { run($0) } ?? .next
    case .whileLoop(let condition, let body):
      while true {
        guard let holds = test(condition) else { return .stop }
        if !holds { return .next }
        if let leave = afterPass(run(body)) { return leave }
        if mustStopLoop() { return .stop }
      }
    case .doWhile(let body, let condition):
      while true {
        if let leave = afterPass(run(body)) { return leave }
        if mustStopLoop() { return .stop }
        guard let holds = test(condition) else { return .stop }
        if !holds { return .next }
      }
    case .forLoop(let initial, let conditions, let steps, let line, let body):
      guard evaluateAll(initial, line: line) != nil else { return .stop }
      while true {
        // No condition loops forever, as `for (;;)` does in PHP.
        guard let last = evaluateAll(conditions, line: line) else { return .stop }
        if let last, !last.isTruthy { return .next }
        if let leave = afterPass(run(body)) { return leave }
        if mustStopLoop() { return .stop }
        guard evaluateAll(steps, line: line) != nil else { return .stop }
      }
    case .foreach(let listExpr, let key, let valueName, let byReference, let body):
      // Apart, so that its locals do not widen this function's frame, which each level of a
      // recursive PHP function takes again.
      return runForeach(listExpr, key: key, value: valueName, byReference: byReference, body: body)
    case .switchOn(let subject, let cases):
      return runSwitch(subject, cases)
    case .breakLoops(let levels):
      return .breakLoops(levels)
    case .continueLoops(let levels):
      return .continueLoops(levels)
    case .returnValue(let expr, let line):
      enter(line: line)
      guard let expr else { return .returned(.null) }
      do {
        return .returned(try evaluate(expr))
      } catch {
        let flow = failed(error)
        if case .stop = flow { return .stop }
        return .returned(.null)
      }
    case .global(let names):
      bindGlobals(names)
      return .next
    case .text(let bytes):
      output.write(bytes)
      return .next
    case .empty:
      return .next
    }
  }

  /// The subject is evaluated once and compared with `==` to each case's value in order, each
  /// value evaluated only when reached; the statements run from the case that matches, or from
  /// `default`, through the cases after it. `break` leaves the switch, and so does `continue`.
  private func runSwitch(_ subjectCondition: Condition, _ cases: [SwitchCase]) -> ProgramFlow {
    enter(line: subjectCondition.line)
    let subject: Value
    do {
      subject = try evaluate(subjectCondition.expr)
    } catch {
      return failed(error)
    }
    var first: Int?
    for (index, item) in cases.enumerated() {
      guard let label = item.label else { continue }
      enter(line: item.line)
      do {
        if PHPOperators.looseEquals(subject, try evaluate(label)) {
          first = index
          break
        }
      } catch {
        return failed(error)
      }
    }
    guard let first = first ?? cases.firstIndex(where: { $0.label == nil }) else { return .next }
    for item in cases[first...] {
      switch run(item.body) {
      case .next: continue
      case .breakLoops(1), .continueLoops(1): return .next
      case .breakLoops(let levels): return .breakLoops(levels - 1)
      case .continueLoops(let levels): return .continueLoops(levels - 1)
      case let flow: return flow
      }
    }
    return .next
  }

  /// What a loop does after one pass of its body: nil to go on, or the flow to leave it with.
  /// `foreach`: over a copy of the array, as PHP walks it; with `&$v` each element is read from
  /// the variable as it is now and what the body leaves in $v written back.
  private func runForeach(
    _ listExpr: Condition, key: String?, value valueName: String, byReference: Bool, body: ProgramStatement
  ) -> ProgramFlow {
    enter(line: listExpr.line)
    let list: Value
    do throws(ShellError) {
      list = try evaluate(listExpr.expr)
    } catch {
      return failed(error)
    }
    guard case .array(let items) = list else {
      warning("foreach() argument must be of type array|object, \(list.phpTypeName) given")
      return .next
    }
    // PHP walks a copy of the array: the body may change the variable without changing the walk.
    for (itemKey, item) in items {
      if let key { variables[key] = itemKey.value }
      if byReference {
        // `&$v`: the element as it is now, and whatever the body leaves in $v written back.
        let element = Expr.index(listExpr.expr, .literal(itemKey.value), column: 0)
        do throws(ShellError) {
          variables[valueName] = try quietValue(element) ?? item
        } catch {
          return failed(error)
        }
        let flow = run(body)
        do throws(ShellError) {
          try store(variables[valueName] ?? .null, into: element)
        } catch {
          return failed(error)
        }
        if let leave = afterPass(flow) { return leave }
      } else {
        variables[valueName] = item
        if let leave = afterPass(run(body)) { return leave }
      }
      if mustStopLoop() { return .stop }
    }
    return .next
  }

  private func afterPass(_ flow: ProgramFlow) -> ProgramFlow? {
    switch flow {
    case .next, .continueLoops(1): nil
    case .breakLoops(1): .next
    case .breakLoops(let levels): .breakLoops(levels - 1)
    case .continueLoops(let levels): .continueLoops(levels - 1)
    case .stop, .returned: flow
    }
  }

  /// One statement as a line runs it: its calls echoed, an error reported and the program going
  /// on with the next statement, as a script goes on with its next line.
  private func runSimple(_ statement: Statement, line: Int) -> ProgramFlow {
    enter(line: line)
    callFailed = false
    // A program shows no `=> value` of a bare expression, as PHP shows none: only a line typed
    // on its own is the REPL's.
    let outer = inProgram
    inProgram = true
    defer { inProgram = outer }
    do {
      try execute(statement)
    } catch {
      _ = failed(error)
    }
    if settings.scriptWatchdog && Signals.watchdogHasExpired {
      report("the time limit set by set_time_limit() ran out; stopping")
      stop(status: 1)
    }
    if callFailed && settings.failFast {
      report("a call failed and --fail-fast is on; stopping")
      stop(status: 1)
    }
    return mustUnwind ? .stop : .next
  }

  /// The session ends, or the statement typed in the shell is abandoned.
  var mustUnwind: Bool { exitStatus != nil || abandonLine }

  /// Statements typed at the prompt carry line 0: their messages name no line.
  @inline(__always)
  private func enter(line: Int) { lineNumber = line == 0 ? nil : line }

  /// A condition's truth; nil when the program must stop.
  private func test(_ condition: Condition) -> Bool? {
    enter(line: condition.line)
    do {
      return try evaluate(condition.expr).isTruthy
    } catch {
      _ = failed(error)
      return mustUnwind ? nil : false
    }
  }

  /// Evaluates a `for` clause's expressions in order: the last value (nil inside when there is
  /// none), or nil when the program must stop.
  private func evaluateAll(_ exprs: [Expr], line: Int) -> Value?? {
    enter(line: line)
    var last: Value?
    for expr in exprs {
      do {
        last = try evaluate(expr)
      } catch {
        _ = failed(error)
        if mustUnwind { return nil }
        return .some(.some(.bool(false)))
      }
    }
    return .some(last)
  }

  private func failed(_ error: ShellError) -> ProgramFlow {
    if !error.message.isEmpty {
      report(error.message)
      countError()
    }
    if error.endsProgram { endOnFatalError() }
    if settings.failFast { stop(status: 1) }
    return mustUnwind ? .stop : .next
  }

  /// After one of PHP's fatal errors a program ends with status 255; in the shell only the
  /// statement typed is abandoned, and the session goes on.
  func endOnFatalError() {
    if settings.interactive {
      abandonLine = true
    } else {
      stop(status: 255)
    }
  }

  /// Checked after each pass of a loop and at each call of a function: a loop with nothing in it,
  /// or a recursion with no loop, must stop too. In the shell Ctrl-C abandons the statement typed
  /// and the session goes on, its handles and variables as they are.
  func mustStopLoop() -> Bool {
    if mustUnwind { return true }
    if settings.scriptWatchdog && Signals.watchdogHasExpired {
      report("the time limit set by set_time_limit() ran out; stopping")
      stop(status: 1)
      return true
    }
    if Signals.takeInterrupt() {
      report("stopped by Ctrl-C; the rest was not run")
      if settings.interactive {
        abandonLine = true
      } else {
        stop(status: 130)
      }
      return true
    }
    return false
  }
}
