import Glibc

/// A session: its handles, variables and settings, and the running of lines against the
/// command table. Evaluation is in Evaluation.swift, notices and hints in Notices.swift.
public final class Interpreter {
  // The stored properties a script touches on every line are marked @exclusivity(unchecked):
  // each dynamic check costs more than the work around it (bench/README.md), and none of them is
  // ever reached through two overlapping accesses (no inout borrow of one outlives a call here).
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
    /// Say what a call waits for once it has blocked a second (the interactive shell).
    public var waitNotices = false
    /// Which calls are echoed (`set echo on|errors|off`; `-q` turns it off, so that a program's
    /// output is its own, as `php FILE` prints it).
    public var echo = EchoMode.all
    public init() {}
  }

  public enum EchoMode: String, Sendable {
    case all = "on"
    /// Only the calls that failed.
    case errors
    case off
  }

  public let kernel: Kernel
  public let table: CommandTable
  public let output: Output
  @exclusivity(unchecked) public var settings: Settings {
    // With the echo off a call that succeeded shows nothing and has no hint: the kernel need not
    // report it.
    didSet { kernel.reportsSuccesses = settings.echo != .off || journal != nil }
  }
  /// The session's record of its calls (Journal.swift), for `export`; nil where nothing will
  /// read it (a script run without --export), so a long script keeps no list of its calls.
  @exclusivity(unchecked) public var journal: Journal? {
    // A journal needs every call, those the echo does not show included.
    didSet { kernel.reportsSuccesses = settings.echo != .off || journal != nil }
  }
  /// Plays lessons for the `lesson` and `lessons` commands; nil where lessons are not offered.
  public var lessonPlayer: (any LessonPlayer)?
  @exclusivity(unchecked) public var handles = HandleTable()
  @exclusivity(unchecked) public var iovecs = IovecTable()
  @exclusivity(unchecked) public var variables: [String: Value] = [:]
  /// The running PHP program's functions, by lower-cased name (UserFunctions.swift).
  @exclusivity(unchecked) var userFunctions: [String: UserFunction] = [:]
  /// The calls of user functions under way, innermost last; empty at the program's top level.
  @exclusivity(unchecked) var functionFrames: [FunctionFrame] = []
  /// The program's own variables while a function runs (`variables` then holds its locals).
  @exclusivity(unchecked) var programGlobals: [String: Value] = [:]
  /// The stack address where the outermost user function call began, to bound the stack used.
  @exclusivity(unchecked) var callStackBase: UInt = 0
  /// error_reporting's level and the ini settings a script changed.
  public var phpSettings = PHPSettings()
  /// The files gethostbyname, getservbyname and getprotobyname read; a test may use its own.
  public var nameFiles = NameDatabase.Files.system
  /// `$_`: the value of the last statement. Kept apart from the dictionary: it changes every line.
  @exclusivity(unchecked) public internal(set) var lastValue: Value = .null
  /// The last error of any handle, with the handle it belongs to.
  @exclusivity(unchecked) public var lastError: (error: Handle.LastError, handle: Int?)?
  /// Statements that could not be parsed or run (a failed socket call is not one): a script
  /// with any ends with status 1.
  public private(set) var errorCount = 0
  func countError() { errorCount += 1 }
  /// Set when the session must end (`quit`, `or die` in a script, `--fail-fast`): the exit status.
  @exclusivity(unchecked) public private(set) var exitStatus: Int32?

  /// The calls of the running command, rendered as the kernel reports them.
  let echoes: any CallView
  /// The command invoked last: whether a statement's value is shown depends on its family.
  @exclusivity(unchecked) var lastCommand: CommandSpec?
  /// The running statement is part of a program (a PHP file, a block, a loop): a bare
  /// expression's value is not shown.
  @exclusivity(unchecked) var inProgram = false
  /// How many `@` enclose the expression being evaluated: PHP's warnings are not shown under one.
  @exclusivity(unchecked) var silenced = 0
  /// A call of the running statement failed (for --fail-fast).
  @exclusivity(unchecked) var callFailed = false
  /// Notices and hints that wait for the running command's echo.
  @exclusivity(unchecked) var notices = NoticeQueue()
  /// `or die` in the shell: the rest of the line is dropped.
  @exclusivity(unchecked) var abandonLine = false
  /// The last line run stopped on `or die` in the shell: a paste or a sourced file stops there.
  @exclusivity(unchecked) public internal(set) var lineDied = false

  /// The script line being run, for messages ("line 3"); nil in the interactive shell.
  @exclusivity(unchecked) public internal(set) var lineNumber: Int?
  public var location: String? {
    lineNumber.map { (sourceFile.map { $0 + " " } ?? "") + "line " + String($0) }
  }
  /// The file `source` is running, named in messages.
  private var sourceFile: String?
  /// How deep `source` has nested: a file that sources itself stops instead of recursing forever.
  var sourceDepth = 0

  /// Statement and argument arrays, reused from line to line; a line that `source` runs takes
  /// another.
  @exclusivity(unchecked) private var parseBuffers = Parser.Buffers()
  @exclusivity(unchecked) private var spareStatements: [[Statement]] = []
  @exclusivity(unchecked) var spareArguments: [[CallArgument]] = []

  /// A session whose calls `view` shows. Views/ adds the initializer that hands in the strace
  /// echo, the one sockshell shows.
  public init(
    table: CommandTable, output: Output, kernel: Kernel, settings: Settings, lessonPlayer: (any LessonPlayer)?,
    view: any CallView
  ) {
    self.echoes = view
    self.table = table
    self.output = output
    self.kernel = kernel
    self.settings = settings
    self.lessonPlayer = lessonPlayer
    kernel.reportsSuccesses = settings.echo != .off
    kernel.observer = { [unowned self] (record: consuming SyscallRecord) in self.observe(record) }
  }

  public var stringLimit: Int {
    get { settings.stringLimit }
    set { settings.stringLimit = newValue }
  }

  /// Colour is the output's: the sink knows whether it is a terminal.
  public var colour: Bool {
    get { output.colour }
    set { output.colour = newValue }
  }

  /// Ends the session with a status once the current statement is done.
  public func stop(status: Int32) { if exitStatus == nil { exitStatus = status } }

  /// The kernel's one report of each call: the handle it failed on keeps the error, and the
  /// echo renders it.
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
    echoes.record(record, stringLimit: settings.stringLimit, colour: output.colour)
    if let journal {
      var handle: Int?
      if case .fd(let fd)? = record.arguments.first { handle = handles.openHandle(fd: fd)?.number }
      journal.append(record, handle: handle, line: lineNumber)
    }
  }

  // MARK: - Running lines

  /// Runs one line; returns false when the session must end (`exitStatus` says how). A statement
  /// the line leaves open is an error: only a source of lines can give the rest (PendingStatement).
  @discardableResult
  public func run(line: String, lineNumber: Int? = nil) -> Bool {
    run(bytes: Array(line.utf8)[...], lineNumber: lineNumber)
  }

  /// Sees each line before it runs (`record`); nil, and one check per line, when nothing records.
  /// Starts recordings for `record`; nil where the session cannot record.
  public var recorderFactory: SessionRecorderFactory?
  /// Draws the journal as a sequence diagram for `timeline`; nil where the session cannot.
  public var timelineDrawer: TimelineDrawer?
  /// Writes the journal as a program for `export`; nil where the session cannot export.
  public var programExporter: ProgramExporter?
  @exclusivity(unchecked) public var recorder: (any SessionRecorder)?

  /// Runs one line given as bytes.
  @discardableResult
  public func run(bytes line: ArraySlice<UInt8>, lineNumber: Int? = nil) -> Bool {
    var pending = PendingStatement(waitsForElse: false)
    guard run(bytes: line, lineNumber: lineNumber, pending: &pending) else { return false }
    return finish(&pending, at: "the line")
  }

  /// Runs the next line of a source, as a script reader has it. A line whose statement goes on
  /// past it, or that holds a control statement, is handed to PendingStatement.swift; any other
  /// line is parsed and run here, on the path every line of a script takes.
  @discardableResult
  public func run(bytes line: ArraySlice<UInt8>, lineNumber: Int?, pending: inout PendingStatement) -> Bool {
    if !pending.isEmpty { return continueStatement(line, lineNumber: lineNumber, pending: &pending) }
    if let recorder { recorder.willRun(line) }
    self.lineNumber = lineNumber
    if Interpreter.startsControlStatement(line) {
      return startStatement(line, lineNumber: lineNumber, pending: &pending, lineError: nil)
    }
    var statements = spareStatements.popLast() ?? []
    defer {
      statements.clearKeepingCapacity()
      spareStatements.append(statements)
    }
    do {
      try Parser.parse(bytes: line, buffers: &parseBuffers, commands: table, into: &statements)
    } catch {
      // Left open, or a control statement after another (`set_time_limit(1); while (true) {}`).
      return startStatement(line, lineNumber: lineNumber, pending: &pending, lineError: error)
    }
    // Taken from the back, so each statement is moved out rather than copied.
    statements.reverse()
    while let statement = statements.popLast() {
      callFailed = false
      do {
        try execute(statement)
      } catch {
        // An empty message was reported already: the error only unwinds (a function's `exit`).
        if !error.message.isEmpty {
          report(error.message)
          errorCount += 1
        }
        if error.endsProgram { endOnFatalError() }
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
    lineDied = abandonLine
    abandonLine = false
    return exitStatus == nil
  }

  /// What is wrong with a line, if it does not parse (or leaves a statement open); nothing runs.
  public func syntaxError(in line: ArraySlice<UInt8>) -> SyntaxError? {
    var lineError: SyntaxError?
    if !Interpreter.startsControlStatement(line) {
      var statements: [Statement] = []
      var buffers = Parser.Buffers()
      do {
        try Parser.parse(bytes: line, buffers: &buffers, commands: table, into: &statements)
        return nil
      } catch {
        lineError = error
      }
    }
    do {
      _ = try Parser.parseShellStatements(code: line, firstLine: 0, functions: userFunctions, commands: table)
      return nil
    } catch {
      return PendingStatement.preferred(lineError, error)
    }
  }

  /// Runs lines one by one in this session (`source FILE`, a paste of several lines at the
  /// prompt), a statement that spans lines gathered whole; messages name `source` and the line:
  /// `setup.ss line 3`, `paste line 2`.
  public func run(text: String, from source: String) {
    let outerLine = lineNumber
    let outerFile = sourceFile
    sourceFile = source
    defer {
      lineNumber = outerLine
      sourceFile = outerFile
    }
    sourceDepth += 1
    defer { sourceDepth -= 1 }
    var number = 0
    var pending = PendingStatement(waitsForElse: true)
    // Split on the byte, so a CRLF file splits too (a Swift Character holds "\r\n" whole).
    let bytes = Array(text.utf8)
    for var line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
      number += 1
      if line.last == 13 { line = line.dropLast() }
      if !run(bytes: line, lineNumber: number, pending: &pending) || lineDied { return }
      // Ctrl-C during a line stops what comes after it, as it stops a loop.
      if Signals.takeInterrupt() {
        report("stopped by Ctrl-C; the rest was not run")
        return
      }
    }
    finish(&pending, at: source == "paste" ? "the paste" : "the file")
  }

  // MARK: - The session's handles

  /// Variables that currently hold this handle: `$socket`.
  public func variableNames(for number: Int) -> [String] {
    var names: [String] = []
    for (name, value) in variables where value == .handle(number) { names.append("$" + name) }
    return names.sorted()
  }

  /// The variables holding each handle (or an array holding it: `$clients[0]`), found in one
  /// pass over the variables: asking
  /// variableNames(for:) of every handle would scan them all once per handle.
  public func variableNamesByHandle() -> [Int: [String]] {
    var names: [Int: [String]] = [:]
    for (name, value) in variables {
      switch value {
      case .handle(let number): names[number, default: []].append("$" + name)
      // A socket kept in an array (a server's `$clients`) is named by its element: `$clients[0]`.
      case .array(let items):
        for case (let key, .handle(let number)) in items {
          names[number, default: []].append("$" + name + "[" + key.shown + "]")
        }
      default: break
      }
    }
    return names.mapValues { $0.sorted() }
  }

  /// `#3 ($spawn)`
  public func describe(_ handle: Handle) -> String {
    let names = variableNames(for: handle.number)
    return names.isEmpty ? "#\(handle.number)" : "#\(handle.number) (\(names.joined(separator: ", ")))"
  }

  /// Closes every open handle, echoing each `close`, as the shell does when it ends.
  public func closeAll() {
    echoes.discard()
    for handle in handles.open {
      _ = kernel.close(handle.fd)
      handles.markClosed(handle, line: nil, by: "the end of the session")
      echoes.commandDone(output: output, mode: settings.echo, handles: .null, variable: nil) { _ in nil }
    }
  }
}
