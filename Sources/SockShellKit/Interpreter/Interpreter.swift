import Glibc

/// Evaluates statements against the command table and echoes every system call it makes.
public final class Interpreter {
  public struct Settings: Sendable {
    /// Stop a script at the first failed call or sockshell error.
    public var failFast = false
    /// In the interactive shell `or die` abandons the rest of the line instead of exiting.
    public var interactive = false
    /// `set_time_limit` arms the process watchdog and its expiry stops the session. The lesson
    /// checker turns this off: it runs a watchdog of its own for each step.
    public var scriptWatchdog = true
    /// Bytes of data shown in an echo before `...` (`set strsize N`).
    public var stringLimit = 64
    /// A short `hint:` after a failed call with a common errno (`set hints off`).
    public var hints = true
    /// Colour in the echo: call names, return values, errors (a terminal without NO_COLOR).
    public var colour = false
    /// Say what a call waits for once it has blocked a second (the interactive shell).
    public var waitNotices = false
    public init() {}
  }

  public let kernel: Kernel
  public let table: CommandTable
  public let output: Output
  public var settings: Settings
  public var handles = HandleTable()
  public var iovecs = IovecTable()
  public var variables: [String: Value] = [:]
  /// `$_`: the value of the last statement. Kept apart from the dictionary: it changes every line.
  public private(set) var lastValue: Value = .null
  /// The last error of any handle, with the handle it belongs to.
  public var lastError: (error: Handle.LastError, handle: Int?)?
  /// Set when the session must end (`quit`, `or die` in a script, `--fail-fast`): the exit status.
  public private(set) var exitStatus: Int32?

  /// The calls of the running command, rendered as they happen; echoed when the command is done,
  /// when its value (and so the annotation) is known.
  private var echoes: [PendingEcho] = []
  private let echoText = ByteBuffer(capacity: 1024)

  /// One call's echo in `echoText`, without its annotation.
  private struct PendingEcho {
    var start: Int
    var end: Int
    /// Bytes of colour codes, which take no room on the screen.
    var invisible: Int
    var errno: Errno?
  }
  private var callFailed = false
  private var renderer: EchoRenderer
  /// The script line being run, for messages ("line 3"); nil in the interactive shell.
  public private(set) var lineNumber: Int?
  public var location: String? {
    lineNumber.map { (sourceFile.map { $0 + " " } ?? "") + "line " + String($0) }
  }
  /// The file `source` is running, named in messages.
  private var sourceFile: String?

  public init(table: CommandTable, output: Output, kernel: Kernel = Kernel(), settings: Settings = Settings())
  {
    self.table = table
    self.output = output
    self.kernel = kernel
    self.settings = settings
    self.renderer = EchoRenderer(stringLimit: settings.stringLimit, colour: settings.colour)
    self.byteOutput = output as? ByteEchoOutput
    kernel.observer = { [unowned self] (record: consuming SyscallRecord) in self.observe(record) }
    (output as? StreamOutput)?.colour = settings.colour
  }

  public var stringLimit: Int {
    get { renderer.stringLimit }
    set {
      renderer.stringLimit = newValue
      settings.stringLimit = newValue
    }
  }

  public var colour: Bool {
    get { settings.colour }
    set {
      renderer.colour = newValue
      settings.colour = newValue
      (output as? StreamOutput)?.colour = newValue
    }
  }

  /// Ends the session with a status once the current statement is done.
  public func stop(status: Int32) { if exitStatus == nil { exitStatus = status } }

  private func observe(_ record: consuming SyscallRecord) {
    if case .failure(let errno) = record.outcome {
      callFailed = true
      let error = Handle.LastError(errno: errno, call: record.name)
      var owner: Int?
      if case .fd(let fd)? = record.arguments.first, let handle = handles.openHandle(fd: fd) {
        handle.lastError = error
        owner = handle.number
      }
      lastError = (error, owner)
    }
    let start = echoText.count
    let invisible = renderer.append(record, to: echoText)
    echoes.append(PendingEcho(start: start, end: echoText.count, invisible: invisible, errno: record.errno))
  }

  // MARK: - Running lines

  /// Runs one line; returns false when the session must end (`exitStatus` says how).
  @discardableResult
  public func run(line: String, lineNumber: Int? = nil) -> Bool {
    run(bytes: Array(line.utf8)[...], lineNumber: lineNumber)
  }

  /// Runs one line given as bytes, as a script reader has it.
  @discardableResult
  public func run(bytes line: ArraySlice<UInt8>, lineNumber: Int? = nil) -> Bool {
    self.lineNumber = lineNumber
    // Statement arrays are reused from line to line; a line that `source` runs takes another.
    var statements = spareStatements.popLast() ?? []
    defer {
      statements.clearKeepingCapacity()
      spareStatements.append(statements)
    }
    do {
      try Parser.parse(bytes: line, buffers: &parseBuffers, commands: table, into: &statements)
    } catch {
      report("\(error.description)")
      if settings.failFast { stop(status: 1) }
      return exitStatus == nil
    }
    // Taken from the back, so each statement is moved out rather than copied.
    statements.reverse()
    while let statement = statements.popLast() {
      callFailed = false
      do {
        try execute(statement)
      } catch {
        report(error.message)
        if settings.failFast { stop(status: 1) }
        break
      }
      if settings.scriptWatchdog && Signals.watchdogHasExpired {
        report("the time limit set by set_time_limit() ran out; stopping")
        stop(status: 1)
      }
      if callFailed && settings.failFast {
        report("a call failed and --fail-fast is on; stopping")
        stop(status: 1)
      }
      if exitStatus != nil || abandonLine { break }
    }
    abandonLine = false
    return exitStatus == nil
  }

  private var abandonLine = false
  /// How deep `source` has nested: a file that sources itself stops instead of recursing forever.
  var sourceDepth = 0

  /// Runs the lines of a file in this session (`source FILE`); messages name the file and line.
  func runFile(_ path: String, text: String) {
    let outerLine = lineNumber
    let outerFile = sourceFile
    sourceFile = path
    defer {
      lineNumber = outerLine
      sourceFile = outerFile
    }
    sourceDepth += 1
    defer { sourceDepth -= 1 }
    var number = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      if !run(bytes: Array(line.utf8)[...], lineNumber: number) { return }
    }
  }
  private var parseBuffers = Parser.Buffers()
  private var spareStatements: [[Statement]] = []

  /// Prints sockshell's own error, with the line it came from.
  public func report(_ message: String) {
    if let location {
      output.message("sockshell: \(location): \(message)")
    } else {
      output.message("sockshell: \(message)")
    }
  }

  /// A notice that is not an error: a capped length, a warning about an exposed port. During a
  /// command it waits until the command's echo is out, so it reads as a comment on the call.
  public func notice(_ message: String) {
    if invoking {
      pendingNotices.append("sockshell: " + message)
    } else {
      output.message("sockshell: \(message)")
    }
  }

  /// Hints a command gives in place of the errno table's for this call only: EADDRINUSE on an
  /// AF_UNIX path means a leftover file, not TIME_WAIT.
  private var specificHints: [Int32: String] = [:]

  public func hint(for errno: Int32, _ message: String) { specificHints[errno] = message }

  /// A `hint:` of a command's own (`set hints off` silences it), shown after its echo.
  public func hint(_ message: String) {
    guard settings.hints else { return }
    if invoking {
      pendingNotices.append("hint: " + message)
    } else {
      output.message("hint: " + message)
    }
  }

  private var invoking = false
  private var pendingNotices: [String] = []

  private func execute(_ statement: Statement) throws(ShellError) {
    var value: Value
    switch statement.kind {
    case .echo(let items):
      var bytes: [UInt8] = []
      for item in items { bytes += try evaluate(item).textBytes }
      output.write(bytes)
      value = .null
      if statement.orDie == nil { return }
    case .assign(let name, let expr, let onlyIfUnset):
      if name == "_" { throw ShellError("$_ holds the last result and cannot be assigned") }
      if onlyIfUnset, let existing = variables[name], existing != .null { return }
      value = try evaluate(expr, annotation: name, isStatement: false)
      variables[name] = value
    case .destructure(let names, let expr):
      value = try evaluate(expr, annotation: nil, isStatement: false)
      guard case .list(let items) = value else {
        throw ShellError("cannot unpack \(value.kindName) into \(names.count) variables; a list is needed")
      }
      for (position, name) in names.enumerated() {
        guard let name else { continue }
        variables[name] = position < items.count ? items[position] : .null
      }
    case .expression(let expr):
      value = try evaluate(expr, annotation: nil, isStatement: true)
      if case .call(_, _, _, let command?) = expr, table.commands[command].family != .strings {
        // Commands show themselves: through the echo, or their own report.
      } else if value != .null {
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
      return try value(of: name)
    case .list(let items):
      var values: [Value] = []
      for item in items { values.append(try evaluate(item)) }
      return .list(values)
    case .index(let base, let subscriptExpr, _):
      let container = try evaluate(base)
      let key = try evaluate(subscriptExpr)
      guard case .int(let position) = key else {
        throw ShellError("an index must be an integer, not \(key.kindName)")
      }
      switch container {
      case .list(let items):
        guard items.indices.contains(position) else {
          throw ShellError("index \(position) is outside the list of \(items.count)")
        }
        return items[position]
      case .bytes(let bytes):
        guard bytes.indices.contains(position) else {
          throw ShellError("index \(position) is outside the string of \(bytes.count) bytes")
        }
        return .bytes([bytes[position]])
      default:
        throw ShellError("cannot index \(container.kindName)")
      }
    case .bitOr(let parts):
      var bits = 0
      for part in parts {
        switch try evaluate(part) {
        case .int(let number): bits |= number
        case let other:
          throw ShellError("'|' combines integer flags such as MSG_PEEK|MSG_DONTWAIT, not \(other.kindName)")
        }
      }
      return .int(bits)
    case .concat(let parts):
      var bytes: [UInt8] = []
      for part in parts { bytes += try evaluate(part).textBytes }
      return .bytes(bytes)
    case .call(let name, let argumentExprs, _, let command):
      guard let command else {
        throw ShellError(
          "unknown command or function '\(name)'" + Interpreter.didYouMean(table.suggestions(for: name)))
      }
      let spec = table.commands[command]
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
      return CallArgument(value: try value(of: name), variable: name)
    default:
      return CallArgument(value: try evaluate(expr), variable: nil)
    }
  }

  private func value(of variable: String) throws(ShellError) -> Value {
    if variable == "_" { return lastValue }
    guard let value = variables[variable] else {
      throw ShellError(
        "$\(variable) is not set"
          + Interpreter.didYouMean(
            EditDistance.closest(to: variable, in: Array(variables.keys)).map { "$" + $0 }))
    }
    return value
  }

  /// Argument arrays of finished calls, kept for the next ones.
  private var spareArguments: [[CallArgument]] = []

  private func invoke(
    _ spec: CommandSpec, typedName: String, arguments: [CallArgument], annotation: String?, isStatement: Bool
  ) throws(ShellError) -> Value {
    if spec.mayBlock { output.flush() }
    var invocation = Invocation(
      interpreter: self, spec: spec, typedName: typedName, arguments: arguments, isStatement: isStatement)
    var value: Value = .null
    invoking = true
    defer {
      invoking = false
      echoRecords(annotating: value, spec: spec, variable: annotation)
      for notice in pendingNotices { output.message(notice) }
      pendingNotices.removeAll()
    }
    value = try spec.run(&invocation)
    return value
  }

  /// Echoes the calls a command made; the last line carries the annotation: the handles the
  /// command created (`#3`) and the variable its value went to (`$spawn`).
  private func echoRecords(annotating value: Value, spec: CommandSpec, variable: String?) {
    guard !echoes.isEmpty else { return }
    let last = echoes.count - 1
    for index in 0...last {
      let handles = index == last && spec.createsHandles ? value : .null
      let note = index == last ? variable : nil
      if let byteOutput {
        byteOutput.echo { line in append(index, handles: handles, variable: note, to: line) }
      } else {
        let line = ByteBuffer(capacity: 128)
        append(index, handles: handles, variable: note, to: line)
        output.echo(String(decoding: line.bytes, as: UTF8.self))
      }
      if settings.hints, let errno = echoes[index].errno,
        let hint = specificHints[errno.number] ?? errno.hint,
        !echoes[..<index].contains(where: { $0.errno == errno })
      {
        output.message("hint: " + hint)
      }
    }
    if !specificHints.isEmpty { specificHints.removeAll() }
    echoes.clearKeepingCapacity()
    echoText.removeAll()
  }

  /// A call's rendering, as it lies in `echoText` until the command's echo is out.
  private func text(of echo: PendingEcho) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: echoText.base + echo.start, count: echo.end - echo.start)
  }

  /// One echo line: the call, then, padded out to column 64, the handles the command created
  /// (`#3`) and the variable its value went to (`$spawn`).
  private func append(_ index: Int, handles: Value, variable: String?, to line: ByteBuffer) {
    let echo = echoes[index]
    line.append(text(of: echo))
    let width = echo.end - echo.start - echo.invisible
    let end = line.count
    func separate() {
      if line.count == end {
        line.append(repeating: 32, count: max(2, 64 - width))
      } else {
        line.append(32)
      }
    }
    func annotate(_ number: Int) {
      separate()
      line.append(UInt8(ascii: "#"))
      line.appendDecimal(number)
    }
    switch handles {
    case .handle(let number): annotate(number)
    case .list(let items): for case .handle(let number) in items { annotate(number) }
    default: break
    }
    if let variable {
      separate()
      line.append(UInt8(ascii: "$"))
      line.append(variable)
    }
  }

  private let byteOutput: ByteEchoOutput?

  static func didYouMean(_ names: [String]) -> String {
    names.isEmpty ? "" : " (did you mean \(names.joined(separator: ", "))?)"
  }

  /// Variables that currently hold this handle: `$socket`.
  public func variableNames(for number: Int) -> [String] {
    variables.filter { $0.value == .handle(number) }.keys.sorted().map { "$" + $0 }
  }

  /// `#3 ($spawn)`
  public func describe(_ handle: Handle) -> String {
    let names = variableNames(for: handle.number)
    return names.isEmpty ? "#\(handle.number)" : "#\(handle.number) (\(names.joined(separator: ", ")))"
  }

  /// Closes every open handle, echoing each `close`, as the shell does when it ends.
  public func closeAll() {
    for handle in handles.open {
      echoes.clearKeepingCapacity()
      echoText.removeAll()
      _ = kernel.close(handle.fd)
      handles.markClosed(handle, line: nil, by: "the end of the session")
      for echo in echoes {
        output.echo(String(decoding: text(of: echo), as: UTF8.self))
      }
    }
    echoes.clearKeepingCapacity()
    echoText.removeAll()
  }
}

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

extension Array {
  /// Empties the array and keeps its storage. `removeAll(keepingCapacity:)` goes through a
  /// generic replaceSubrange that costs hundreds of instructions; a line has one or two records.
  @inline(__always)
  mutating func clearKeepingCapacity() {
    while !isEmpty { removeLast() }
  }
}
