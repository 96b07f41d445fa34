import Glibc

/// Commands about the shell itself rather than a socket.
enum Shell {
  static let commands: [CommandSpec] = [
    unlink, setTimeLimit, sleep, usleep, help, handles, vars, set, lessons, lesson, record, export, pcap,
    TimelineCommand.timeline, source, quit, die,
  ]

  static let unlink = CommandSpec(
    name: "unlink", family: .shell, synopsis: "unlink PATH",
    prototype: "int unlink(const char *pathname);", php: "unlink(string $filename): bool",
    manPage: "unlink(2)",
    summary: "Remove a socket file: the one a bound AF_UNIX socket leaves behind.",
    notes: """
      Binding an AF_UNIX socket to a path creates a file that stays after close; binding the
      path again gives EADDRINUSE until it is removed. Abstract names (@name) leave no file.
      Only socket files are removed: any other file at PATH is refused and left alone.
      """,
    effect: "the path is gone; sockets already bound keep working",
    errors: [LikelyError("ENOENT", "there is no such file")],
    example: "unlink /tmp/reverse.sock"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let path = try call.bytes(0, "the path")
    guard !path.isEmpty else { throw call.usage("the path is empty") }
    guard !path.contains(0) else { throw call.usage("the path contains a NUL byte") }
    // A shell for sockets must not delete a learner's notes: a path that is there and is not a
    // socket is refused. One that is missing goes to the kernel, whose ENOENT the echo shows.
    if let type = FileSystem.linkType(path), type != S_IFSOCK {
      throw ShellError(
        "unlink: \(Value.bytes(path).literal) is not a socket file (it is \(FileSystem.describe(type))); "
          + "unlink here removes only the files AF_UNIX sockets leave behind")
    }
    guard case .success = call.kernel.unlink(path) else { return .bool(false) }
    return .bool(true)
  }

  static let setTimeLimit = CommandSpec(
    name: "set_time_limit", family: .shell, synopsis: "set_time_limit(SECONDS)",
    php: "set_time_limit(int $seconds): bool",
    summary: "Stop a script that runs longer than SECONDS (0: no limit).",
    notes: """
      The watchdog is an alarm: it interrupts a blocked call (the echo shows EINTR) and the
      script stops with status 1. The interactive shell ignores it: Ctrl-C stops a waiting call.
      """
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let seconds = try call.int(0, "the number of seconds")
    guard seconds >= 0 else { throw call.usage("the limit cannot be negative") }
    let settings = call.interpreter.settings
    if settings.scriptWatchdog && !settings.interactive { Signals.armWatchdog(seconds: seconds) }
    // PHP's set_time_limit is max_execution_time by another name: ini_get shows the new limit.
    call.interpreter.phpSettings.recordTimeLimit(seconds)
    return .bool(true)
  }

  static let sleep = CommandSpec(
    name: "sleep", family: .shell, synopsis: "sleep(SECONDS)", php: "sleep(int $seconds): int",
    summary: "Pause the script.", mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let seconds = try call.int(0, "the number of seconds")
    guard (0...86_400).contains(seconds) else { throw call.usage("SECONDS must be between 0 and 86400") }
    return .int(Int(Glibc.sleep(UInt32(seconds))))
  }

  static let usleep = CommandSpec(
    name: "usleep", family: .shell, synopsis: "usleep(MICROSECONDS)", php: "usleep(int $microseconds): void",
    summary: "Pause the script for a number of microseconds.", mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let micros = try call.int(0, "the number of microseconds")
    guard (0...86_400_000_000).contains(micros) else {
      throw call.usage("MICROSECONDS must be between 0 and one day")
    }
    var request = timespec(tv_sec: micros / 1_000_000, tv_nsec: (micros % 1_000_000) * 1000)
    _ = nanosleep(&request, nil)
    return .null
  }

  static let source = CommandSpec(
    name: "source", aliases: ["include"], family: .shell, synopsis: "source PATH",
    summary: "Run the lines of a script file in this session: its handles and variables stay.",
    notes: """
      Messages name the file's line numbers. `quit` in the file ends the session too. PATH must
      be a regular file of at most 16 MiB: a FIFO, a device or a directory is refused.
      """,
    example: "source setup.ss",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let path = try call.text(0, "the path")
    guard call.interpreter.sourceDepth < 8 else {
      throw ShellError("source: files source each other more than 8 deep; stopping")
    }
    switch FileSystem.readScript(path, limit: sourceLimit) {
    case .success(let bytes):
      call.interpreter.run(text: String(decoding: bytes, as: UTF8.self), from: path)
    case .failure(.notRegular(let kind)):
      throw ShellError("source: \(path) is \(kind), not a regular file; source runs script files only")
    case .failure(.tooLarge(let size)):
      throw ShellError("source: \(path) has \(size) bytes; source reads files of at most 16 MiB")
    case .failure(.interrupted):
      throw ShellError("source: reading \(path) was interrupted; none of it ran")
    case .failure(.failed(let errno)):
      throw ShellError("source: cannot read \(path): \(errno.message)")
    }
    return .null
  }

  /// The largest file `source` reads: a script, never a disk image.
  static let sourceLimit = 16 << 20

  static let lessons = CommandSpec(
    name: "lessons", family: .shell, synopsis: "lessons", summary: "List the lessons."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...0)
    call.interpreter.output.write(try lessonPlayer(call, "lessons").catalogue())
    return .null
  }

  static let lesson = CommandSpec(
    name: "lesson", family: .shell, synopsis: "lesson LESSON",
    summary: "Play a lesson (by number or name) in a session of its own, then come back here.",
    example: "lesson 3",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let name = try call.text(0, "the lesson name")
    let interpreter = call.interpreter
    try lessonPlayer(call, "lesson").play(
      name, port: interpreter.variables["port"], waitNotices: interpreter.settings.waitNotices,
      output: interpreter.output)
    return .null
  }

  private static func lessonPlayer(_ call: borrowing Invocation, _ command: String) throws(ShellError)
    -> any LessonPlayer
  {
    guard let player = call.interpreter.lessonPlayer else {
      throw ShellError("\(command): lessons are not available in this session")
    }
    return player
  }

  static let record = CommandSpec(
    name: "record", family: .shell, synopsis: "record FILE.md [--force] | record stop",
    summary: "Write what you do from here on as a lesson that `sockshell lesson --check FILE.md` passes.",
    notes: """
      Each line you run becomes a `sockshell> ` input with the output you saw after it, in
      ```sockshell blocks. A comment `# heading` starts a section (`## heading`); one typed
      before any other line is the lesson's title instead. The port of the first bind, connect
      or sendto on 127.0.0.1 or ::1 (or create_listen) becomes `$port ??= N` and `$port`, so
      `--set port=N` moves the lesson; ephemeral ports, pointers and the padding they shift are
      written `...`. Not recorded: lines that do not parse, lines of a sourced file (their
      `source` line is), and any line that runs `record`. `record stop` writes FILE.md through
      a temporary file and a rename; an existing file is replaced only with --force. A
      recording keeps at most 10000 lines or 4 MiB. `record` alone says what is recording.
      """,
    example: "record /tmp/mine.md"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...2)
    let interpreter = call.interpreter
    guard call.has(0) else {
      interpreter.output.write(
        interpreter.recorder == nil ? "not recording; `record FILE.md` starts\n" : "recording; `record stop` writes the lesson\n")
      return .null
    }
    let word = try call.text(0, "the file or stop")
    if word == "stop" {
      try call.expect(1...1)
      guard let recorder = interpreter.recorder else { throw ShellError("record: nothing is recording") }
      interpreter.recorder = nil
      interpreter.output.observer = nil
      switch recorder.finish() {
      case .success(let report): interpreter.output.message("sockshell: " + report)
      case .failure(let error): throw error
      }
      return .null
    }
    var overwrites = false
    if call.has(1) {
      guard try call.text(1, "the option") == "--force" else { throw call.usage("the only option is --force") }
      overwrites = true
    }
    guard interpreter.recorder == nil else {
      throw ShellError("record: already recording; `record stop` writes that lesson first")
    }
    guard let makeRecorder = interpreter.recorderFactory else {
      throw ShellError("record: this session cannot record")
    }
    let recorder = try makeRecorder(word, overwrites)
    interpreter.output.message("sockshell: recording to \(word); `record stop` writes it")
    interpreter.recorder = recorder
    interpreter.output.observer = recorder.outputObserver
    return .null
  }

  static let help = CommandSpec(
    name: "help", aliases: ["?"], family: .shell, synopsis: "help [COMMAND]",
    summary: "List the commands, or explain one (by its short, PHP or C name) or a keyword (if, foreach, isset, …).",
    example: "help bind"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    let table = call.interpreter.table
    if call.has(0) {
      let name = try call.text(0, "the command name")
      guard let spec = table.lookup(name) else {
        // The language's keywords (`help foreach`, `help isset`) are not commands.
        if let text = LanguageHelp.detail(name) {
          call.interpreter.output.write(text)
          return .null
        }
        throw ShellError(
          "help: no command named '\(name)'" + Interpreter.didYouMean(table.suggestions(for: name)))
      }
      call.interpreter.output.write(HelpText.detail(spec))
    } else {
      call.interpreter.output.write(HelpText.overview(table))
    }
    return .null
  }

  static let handles = CommandSpec(
    name: "handles", aliases: ["status"], family: .shell, synopsis: "handles [--all]",
    summary: "Show every open handle (with --all the closed ones too) as sockshell and the kernel see it.",
    notes: """
      Columns: the handle and its fd, the variables naming it, domain and type, sockshell's
      state, the kernel's TCP state (from TCP_INFO), local and peer address, bytes received but
      not read (FIONREAD), bytes sent but not yet acknowledged (SIOCOUTQ), blocking mode,
      readiness from a zero-timeout poll (R readable, W writable, X hang-up or error), the
      last error, and for TCP the segments received, sent and retransmitted (TCP_INFO). It is the one command whose system calls are not echoed: it only looks.
      `=` alone on a line is short for `handles`.
      """,
    example: "handles --all"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    var showAll = false
    if call.has(0) {
      guard ["all", "--all", "-a"].contains(try call.text(0, "the option")) else {
        throw call.usage("the only option is --all")
      }
      showAll = true
    }
    let interpreter = call.interpreter
    let list = showAll ? Array(interpreter.handles.all) : interpreter.handles.open
    guard !list.isEmpty else {
      interpreter.output.write(
        showAll ? "no handles yet\n" : "no open handles (`handles --all` shows closed ones)\n")
      return .null
    }
    var rows = [
      [
        "handle", "fd", "names", "kind", "state", "tcp", "local", "peer", "unread", "unsent", "mode", "ready",
        "last error", "segments in/out/re",
      ]
    ]
    let namesByHandle = interpreter.variableNamesByHandle()
    for handle in list {
      let names = namesByHandle[handle.number]?.joined(separator: " ") ?? ""
      let kind = SocketNames.domain(handle.domain) + " " + SocketNames.type(handle.type)
      let lastError = handle.lastError.map { "\($0.errno.name) from \($0.call)" } ?? "-"
      guard handle.isOpen else {
        rows.append([
          "#\(handle.number)", "\(handle.fd)", names, kind, "closed at \(handle.closedWhere ?? "?")", "-",
          handle.localAddress?.display ?? "-", handle.peerAddress?.display ?? "-", "-", "-", "-", "-",
          lastError, "-",
        ])
        continue
      }
      let status = call.kernel.inspect(handle.fd, domain: handle.domain, type: handle.type)
      let mode = status.isNonBlocking.map { $0 ? "non-blocking" : "blocking" } ?? "?"
      rows.append([
        "#\(handle.number)", "\(handle.fd)", names, kind, handle.state.rawValue, status.tcpState ?? "-",
        unnamed(status.local ?? handle.localAddress), (status.peer ?? handle.peerAddress)?.display ?? "-",
        status.unread.map(String.init) ?? "-", status.unsent.map(String.init) ?? "-", mode, status.readiness,
        lastError, status.segments.map { "\($0.received)/\($0.sent)/\($0.retransmitted)" } ?? "-",
      ])
    }
    interpreter.output.write(HelpText.table(rows))
    return .null
  }

  /// An address, or `-` for none: an unbound socket's getsockname gives the wildcard with port 0.
  private static func unnamed(_ address: SocketAddress?) -> String {
    guard let address, !(address.port == 0 && ["0.0.0.0:0", "[::]:0"].contains(address.display)) else {
      return "-"
    }
    return address.display
  }

  static let vars = CommandSpec(
    name: "vars", family: .shell, synopsis: "vars", summary: "List the variables and their values."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...0)
    let interpreter = call.interpreter
    let names = interpreter.variables.keys.sorted()
    if names.isEmpty { interpreter.output.write("no variables yet\n") }
    var text = ""
    for name in names {
      let value = interpreter.variables[name]!
      text += "$\(name) = \(value.literal)"
      if case .handle(let number) = value, let handle = interpreter.handles.handle(number) {
        text +=
          "  (fd \(handle.fd), \(SocketNames.domain(handle.domain)) \(SocketNames.type(handle.type)), \(handle.state.rawValue))"
      }
      if case .iovec(let number) = value {
        text += interpreter.iovecs.get(number).map { "  " + $0.summary } ?? "  (freed)"
      }
      text += "\n"
    }
    interpreter.output.write(text)
    return .null
  }

  static let set = CommandSpec(
    name: "set", family: .shell, synopsis: "set strsize|hints|colour|echo VALUE",
    summary:
      "Change a setting: strsize N (bytes of data an echo shows), hints, colour, echo (on, errors or off).",
    notes: """
      strsize is 64 by default, as strace's -s. hints are the short `hint:` lines after a failed
      call. colour is on at a terminal unless NO_COLOR is set. echo on shows every call, errors
      only the failed ones, off none (the program's own output alone, as `sockshell -q` runs it).
      """,
    example: "set hints off"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let setting = try call.text(0, "the setting")
    let interpreter = call.interpreter
    func flag() throws(ShellError) -> Bool {
      switch call.value(1) {
      case .bool(let flag): return flag
      case .int(let number) where number == 0 || number == 1: return number == 1
      default:
        switch try call.text(1, "the value").lowercased() {
        case "on", "yes", "true": return true
        case "off", "no", "false": return false
        default: throw call.usage("\(setting) is on or off")
        }
      }
    }
    switch setting.lowercased() {
    case "strsize":
      let size = try call.int(1, "the size")
      guard (1...1_048_576).contains(size) else { throw call.usage("strsize must be between 1 and 1048576") }
      interpreter.stringLimit = size
    case "hints":
      interpreter.settings.hints = try flag()
    case "colour", "color":
      interpreter.colour = try flag()
    case "echo":
      let text = try call.text(1, "the value").lowercased()
      guard let mode = Interpreter.EchoMode(rawValue: text == "all" ? "on" : text) else {
        throw call.usage("echo is on, errors or off")
      }
      interpreter.settings.echo = mode
    default:
      throw ShellError("set: unknown setting '\(setting)' (settings: strsize, hints, colour, echo)")
    }
    return .null
  }

  static let quit = CommandSpec(
    name: "quit", aliases: ["exit"], family: .shell, synopsis: "quit [STATUS]",
    summary: "Close every open handle and leave (a script ends with STATUS, default 0)."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    let status = try call.int(0, "the status", default: 0)
    // 126 and up mean, to the shell that started sockshell, a command that could not run or a
    // signal (139 reads as a segmentation fault): a script may not claim those.
    guard (0...125).contains(status) else { throw call.usage("STATUS must be between 0 and 125") }
    call.interpreter.stop(status: Int32(status))
    return .null
  }

  static let die = CommandSpec(
    name: "die", family: .shell, synopsis: "die [MESSAGE]", php: "die(string $status = \"\"): never",
    summary: "Print MESSAGE and stop the script with status 1 (the shell abandons the line)."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    if call.has(0) { call.interpreter.output.write(try call.bytes(0, "the message")) }
    if call.interpreter.settings.interactive {
      throw ShellError("die() stopped this line")
    }
    call.interpreter.stop(status: 1)
    return .null
  }
}
